import DynamoModel
import Expressions

/// Parses DynamoDB's PartiQL subset into a `Statement`.
///
/// statement := select | insert | update | delete | "FROM" name [WHERE] (SET|REMOVE)+ [RETURNING] | "EXISTS" "(" select ")"
/// select    := "SELECT" ("*" | path ("," path)*) "FROM" name ["." name] ["WHERE" expr] ["ORDER BY" name [ASC|DESC], …]
/// insert    := "INSERT" "INTO" name "VALUE" expr
/// update    := "UPDATE" name (("SET" path "=" value ("," …)*) | ("REMOVE" path ("," path)*))+ ["WHERE" expr] [returning]
/// delete    := "DELETE" "FROM" name ["WHERE" expr] [returning]
/// expr      := or; or := and ("OR" and)*; and := not ("AND" not)*; not := "NOT" not | predicate
/// predicate := sum [comparator sum | "BETWEEN" sum "AND" sum | ["NOT"] "IN" list | "IS" ["NOT"] type]
/// sum       := primary (("+" | "-") primary)*
/// primary   := literal | "?" | path | function "(" expr, … ")" | "(" expr ")" | "[" … "]" | "{" … "}" | "<<" … ">>"
package struct StatementParser {
    private var tokens: [StatementToken]
    private var position = 0
    private var parameterCount = 0
    /// Open parentheses, brackets, braces, NOTs and function calls around the current token.
    private var depth = 0

    /// Deeper than this the statement is refused rather than parsed (recursion must stay within the thread's stack).
    static let maximumDepth = 100

    /// Keywords that may not follow a `.` in a path (PartiQL reserves them).
    static let reservedWords: Set<String> = [
        "ALL", "AND", "ANY", "AS", "ASC", "AT", "BETWEEN", "BY", "CASE", "CAST", "CROSS", "DELETE", "DESC", "DISTINCT",
        "ELSE", "END", "EXCEPT", "EXISTS", "FALSE", "FROM", "FULL", "GROUP", "HAVING", "IN", "INNER", "INSERT",
        "INTERSECT", "INTO", "IS", "JOIN", "LEFT", "LIKE", "LIMIT", "MISSING", "NOT", "NULL", "OFFSET", "ON", "OR",
        "ORDER", "OUTER", "PIVOT", "REMOVE", "RETURNING", "RIGHT", "SELECT", "SET", "THEN", "TRUE", "UNION",
        "UNPIVOT", "UPDATE", "USING", "VALUE", "VALUES", "WHEN", "WHERE", "WITH",
    ]

    /// Words that end a FROM source (anything else there is an alias).
    static let clauseWords: Set<String> = ["WHERE", "ORDER", "SET", "REMOVE", "RETURNING"]

    init(tokens: [StatementToken]) {
        self.tokens = tokens
    }

    /// Parses one statement; the whole text must be consumed.
    package static func parse(_ source: String) throws(DynamoError) -> ParsedStatement {
        var parser = StatementParser(tokens: try StatementLexer.tokenize(source))
        let statement = try parser.parseStatement()
        guard parser.current.kind == .end else { throw StatementError.unexpectedToken }
        return ParsedStatement(statement: statement, parameterCount: parser.parameterCount)
    }

    // MARK: - Token helpers

    private var current: StatementToken { tokens[min(position, tokens.count - 1)] }

    private func peek(_ offset: Int) -> StatementToken { tokens[min(position + offset, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> StatementToken {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isKeyword(_ word: String) -> Bool { current.keyword == word }

    private mutating func consumeKeyword(_ word: String) -> Bool {
        guard isKeyword(word) else { return false }
        advance()
        return true
    }

    private mutating func expectKeyword(_ word: String) throws(DynamoError) {
        guard consumeKeyword(word) else { throw unexpected() }
    }

    private mutating func consumeSymbol(_ symbol: String) -> Bool {
        guard current.kind == .symbol(symbol) else { return false }
        advance()
        return true
    }

    private mutating func expectSymbol(_ symbol: String) throws(DynamoError) {
        guard consumeSymbol(symbol) else { throw unexpected() }
    }

    /// Keywords and symbols that are operators (refused where a term should start).
    static let operatorWords: Set<String> = ["IS", "LIKE", "AND", "OR", "IN", "BETWEEN"]
    static let operatorSymbols: Set<String> = ["=", "<", ">", "<=", ">=", "<>", "!=", "+", "*", "/", "%", "||"]

    /// A syntax error at the current token, worded as DynamoDB words it.
    private func unexpected() -> DynamoError {
        switch current.kind {
        case .word(let word) where Self.operatorWords.contains(word.uppercased()):
            return StatementError.notWellFormed("Unexpected operator")
        case .symbol(let symbol) where Self.operatorSymbols.contains(symbol):
            return StatementError.notWellFormed("Unexpected operator")
        case .word(let word) where Self.reservedWords.contains(word.uppercased()):
            return StatementError.notWellFormed("Unexpected keyword")
        default:
            return StatementError.notWellFormed("Unexpected term")
        }
    }

    /// The right-hand side of an infix operator must be there.
    private func requireOperand() throws(DynamoError) {
        if current.kind == .end {
            throw StatementError.notWellFormed("Missing right-hand side expression of infix operator")
        }
    }

    /// The target of INSERT, UPDATE and DELETE: a simple path naming the table.
    private mutating func parseTargetName() throws(DynamoError) -> String {
        switch current.kind {
        case .quoted: return try parseName()
        case .word(let word) where !Self.reservedWords.contains(word.uppercased()): return try parseName()
        default: throw StatementError.notWellFormed("Expected identifier for simple path")
        }
    }

    /// The type names `IS` accepts (PartiQL's), multi-word ones included.
    static let typeNames: Set<String> = [
        "MISSING", "NULL", "BOOL", "BOOLEAN", "SMALLINT", "INT2", "INTEGER2", "INT", "INT4", "INTEGER4", "INTEGER", "INT8",
        "INTEGER8", "BIGINT", "FLOAT", "REAL", "DECIMAL", "DEC", "NUMERIC", "TIMESTAMP", "CHAR", "CHARACTER", "VARCHAR",
        "STRING", "SYMBOL", "BLOB", "CLOB", "STRUCT", "TUPLE", "LIST", "SEXP", "BAG", "DATE", "TIME", "ANY",
    ]

    /// Counts one level of nesting; too many levels refuse the statement.
    private mutating func enterNesting() throws(DynamoError) {
        depth += 1
        if depth > Self.maximumDepth { throw StatementError.notWellFormed("Expression nesting is too deep") }
    }

    // MARK: - Statements

    mutating func parseStatement() throws(DynamoError) -> Statement {
        switch current.keyword {
        case "SELECT": return .select(try parseSelect())
        case "INSERT": return .insert(try parseInsert())
        case "UPDATE": return .update(try parseUpdate())
        case "DELETE": return .delete(try parseDelete())
        case "FROM": return .update(try parseFromFirstUpdate())
        case "EXISTS":
            advance()
            try expectSymbol("(")
            guard isKeyword("SELECT") else { throw unexpected() }
            let select = try parseSelect()
            try expectSymbol(")")
            return .exists(select)
        default:
            // A bare expression parses, and is then refused as an operation DynamoDB does not run.
            if case .isType = try parseExpression() { throw DynamoError.validation("Unsupported operation: IsType") }
            throw unexpected()
        }
    }

    private mutating func parseSelect() throws(DynamoError) -> SelectStatement {
        try expectKeyword("SELECT")
        var projection: [DocumentPath]? = []
        if consumeSymbol("*") {
            projection = nil
            if current.kind == .symbol(",") { throw StatementError.starAndOthers }
        } else {
            repeat {
                if consumeSymbol("*") { throw StatementError.starAndOthers }
                if case .word = current.kind, peek(1).kind == .symbol("(") {
                    throw DynamoError.validation("Unexpected path component at \(current.position)")
                }
                projection?.append(try parsePath())
            } while consumeSymbol(",")
        }
        try expectKeyword("FROM")
        switch current.kind {
        case .string, .number, .parameter, .symbol("{"), .symbol("<<"): throw StatementError.unexpectedFromSource
        default: break
        }
        let tableName = try parseName()
        var indexName: String?
        if consumeSymbol(".") {
            indexName = try parseName()
            if current.kind == .symbol(".") { throw DynamoError.validation("A path may contain at most 2 components in the FROM clause") }
        }
        try rejectAlias()
        if current.kind == .symbol(",") {
            throw DynamoError.validation("Only select from a single table or index is supported.")
        }
        let whereClause = consumeKeyword("WHERE") ? try parseExpression() : nil
        var orderBy: [(name: String, descending: Bool)] = []
        if consumeKeyword("ORDER") {
            try expectKeyword("BY")
            repeat {
                let name = try parseName()
                var descending = false
                if consumeKeyword("DESC") { descending = true } else { _ = consumeKeyword("ASC") }
                orderBy.append((name, descending))
            } while consumeSymbol(",")
        }
        return SelectStatement(projection: projection, tableName: tableName, indexName: indexName,
                               whereClause: whereClause, orderBy: orderBy)
    }

    private mutating func parseInsert() throws(DynamoError) -> InsertStatement {
        try expectKeyword("INSERT")
        try expectKeyword("INTO")
        let tableName = try parseTargetName()
        if isKeyword("VALUES") {
            throw DynamoError.validation("Unsupported operation: Inserting multiple items in a single statement is not "
                + "supported, use \"INSERT INTO tableName VALUE item\" instead")
        }
        guard consumeKeyword("VALUE") else { throw StatementError.unexpectedToken }
        let value = try parseSum()
        if isKeyword("RETURNING") { throw StatementError.returningInInsert }
        return InsertStatement(tableName: tableName, value: value)
    }

    private mutating func parseUpdate() throws(DynamoError) -> UpdateStatement {
        try expectKeyword("UPDATE")
        let tableName = try parseTargetName()
        try rejectAlias()
        let clauses = try parseUpdateClauses()
        let whereClause = consumeKeyword("WHERE") ? try parseExpression() : nil
        return UpdateStatement(tableName: tableName, clauses: clauses, whereClause: whereClause,
                               returning: try parseReturning())
    }

    private mutating func parseFromFirstUpdate() throws(DynamoError) -> UpdateStatement {
        try expectKeyword("FROM")
        let tableName = try parseName()
        try rejectAlias()
        let whereClause = consumeKeyword("WHERE") ? try parseExpression() : nil
        let clauses = try parseUpdateClauses()
        return UpdateStatement(tableName: tableName, clauses: clauses, whereClause: whereClause,
                               returning: try parseReturning())
    }

    private mutating func parseUpdateClauses() throws(DynamoError) -> [UpdateClause] {
        var clauses: [UpdateClause] = []
        while true {
            if consumeKeyword("SET") {
                repeat {
                    let path = try parsePath()
                    try expectSymbol("=")
                    clauses.append(.set(path, try parseSum()))
                } while consumeSymbol(",")
            } else if consumeKeyword("REMOVE") {
                repeat {
                    clauses.append(.remove(try parsePath()))
                } while consumeSymbol(",")
            } else {
                break
            }
        }
        if clauses.isEmpty { throw unexpected() }
        return clauses
    }

    private mutating func parseDelete() throws(DynamoError) -> DeleteStatement {
        try expectKeyword("DELETE")
        try expectKeyword("FROM")
        let tableName = try parseTargetName()
        try rejectAlias()
        let whereClause = consumeKeyword("WHERE") ? try parseExpression() : nil
        let returning = try parseReturning()
        if let returning, returning != .allOld {
            throw DynamoError.validation("Invalid returning clause: RETURNING \(returning.rawValue). Only RETURNING ALL OLD * "
                + "is allowed in DELETE statements.")
        }
        return DeleteStatement(tableName: tableName, whereClause: whereClause, returning: returning)
    }

    private mutating func parseReturning() throws(DynamoError) -> ReturningClause? {
        guard consumeKeyword("RETURNING") else { return nil }
        let scope = current.keyword
        guard scope == "ALL" || scope == "MODIFIED" else { throw unexpected() }
        advance()
        let age = current.keyword
        guard age == "OLD" || age == "NEW" else { throw unexpected() }
        advance()
        guard consumeSymbol("*") else {
            throw DynamoError.validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause")
        }
        switch (scope, age) {
        case ("ALL", "OLD"): return .allOld
        case ("ALL", _): return .allNew
        case (_, "OLD"): return .modifiedOld
        default: return .modifiedNew
        }
    }

    /// A table alias (`FROM "t" t`, `FROM "t" AS t`) is refused with its own message.
    private func rejectAlias() throws(DynamoError) {
        if current.keyword == "AS" { throw StatementError.aliasing }
        if case .quoted = current.kind { throw StatementError.aliasing }
        if let word = current.keyword, !Self.clauseWords.contains(word) { throw StatementError.aliasing }
    }

    /// A table, index or attribute name: quoted or bare.
    private mutating func parseName() throws(DynamoError) -> String {
        switch current.kind {
        case .quoted(let name):
            advance()
            return name
        case .word(let name) where !Self.reservedWords.contains(name.uppercased()):
            advance()
            return name
        default:
            throw unexpected()
        }
    }

    /// `name ("." name | "[" index "]")*`.
    private mutating func parsePath() throws(DynamoError) -> DocumentPath {
        var elements: [PathElement] = [.name(try parseName())]
        try parsePathSteps(&elements)
        return DocumentPath(elements)
    }

    private mutating func parsePathSteps(_ elements: inout [PathElement]) throws(DynamoError) {
        while true {
            if consumeSymbol(".") {
                switch current.kind {
                case .quoted(let name):
                    advance()
                    elements.append(.name(name))
                case .word(let name):
                    if Self.reservedWords.contains(name.uppercased()) { throw StatementError.invalidPathDot }
                    advance()
                    elements.append(.name(name))
                case .symbol("*"):
                    throw DynamoError.validation("Unpivot path component like a.*.b are not supported")
                default:
                    throw unexpected()
                }
            } else if current.kind == .symbol("[") {
                advance()
                switch current.kind {
                case .number(let text):
                    guard let index = Int(text) else {
                        throw DynamoError.validation("List index is not within the allowable range; index: [\(text)]")
                    }
                    advance()
                    elements.append(.index(index))
                case .string(let name):
                    advance()
                    elements.append(.name(name))
                case .symbol("*"):
                    throw DynamoError.validation("Wildcard path component like a[*].b are not supported")
                default:
                    throw unexpected()
                }
                try expectSymbol("]")
            } else {
                return
            }
        }
    }

    // MARK: - Expressions

    mutating func parseExpression() throws(DynamoError) -> StatementExpression {
        var left = try parseAnd()
        while consumeKeyword("OR") {
            try requireOperand()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(DynamoError) -> StatementExpression {
        var left = try parseNot()
        while consumeKeyword("AND") {
            try requireOperand()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(DynamoError) -> StatementExpression {
        if consumeKeyword("NOT") {
            try enterNesting()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parsePredicate()
    }

    private mutating func parsePredicate() throws(DynamoError) -> StatementExpression {
        let left = try parseSum()
        if case .symbol(let symbol) = current.kind, let comparator = Self.comparator(symbol) {
            advance()
            try requireOperand()
            return .compare(left, comparator, try parseSum())
        }
        if consumeKeyword("BETWEEN") {
            let low = try parseSum()
            try expectKeyword("AND")
            return .between(left, low, try parseSum())
        }
        if isKeyword("NOT"), peek(1).keyword == "IN" || peek(1).keyword == "BETWEEN" {
            advance()
            if consumeKeyword("BETWEEN") {
                let low = try parseSum()
                try expectKeyword("AND")
                return .not(.between(left, low, try parseSum()))
            }
            advance()
            return .not(.isIn(left, try parseInList()))
        }
        if consumeKeyword("IN") { return .isIn(left, try parseInList()) }
        if isKeyword("IS") {
            advance()
            let negated = consumeKeyword("NOT")
            let token = current
            guard let word = token.keyword else { throw StatementError.notWellFormed("Expected type name") }
            var type = word
            if word == "DOUBLE" && peek(1).keyword == "PRECISION" {
                advance()
                type = "DOUBLE PRECISION"
            } else if word == "CHARACTER" && peek(1).keyword == "VARYING" {
                advance()
                type = "CHARACTER VARYING"
            } else if !Self.typeNames.contains(word) {
                throw StatementError.notWellFormed("Expected type name")
            }
            advance()
            return .isType(left, typeName: type, negated: negated, token: token)
        }
        return left
    }

    /// `[a, b]` or `(a, b)`.
    private mutating func parseInList() throws(DynamoError) -> [StatementExpression] {
        let closing: String
        if consumeSymbol("[") { closing = "]" } else if consumeSymbol("(") { closing = ")" } else {
            if current.kind == .parameter { return [try parsePrimary()] }
            throw unexpected()
        }
        var members: [StatementExpression] = []
        if !consumeSymbol(closing) {
            repeat { members.append(try parseSum()) } while consumeSymbol(",")
            try expectSymbol(closing)
        }
        return members
    }

    static func comparator(_ symbol: String) -> Comparator? {
        switch symbol {
        case "=": return .equal
        case "<>", "!=": return .notEqual
        case "<": return .less
        case "<=": return .lessOrEqual
        case ">": return .greater
        case ">=": return .greaterOrEqual
        default: return nil
        }
    }

    mutating func parseSum() throws(DynamoError) -> StatementExpression {
        var left = try parsePrimary()
        while true {
            if consumeSymbol("+") {
                try requireOperand()
                left = .arithmetic(left, plus: true, try parsePrimary())
            } else if consumeSymbol("-") {
                try requireOperand()
                left = .arithmetic(left, plus: false, try parsePrimary())
            } else {
                return left
            }
        }
    }

    private mutating func parsePrimary() throws(DynamoError) -> StatementExpression {
        try enterNesting()
        defer { depth -= 1 }
        let token = current
        switch token.kind {
        case .string(let text):
            advance()
            return .string(text)
        case .number(let text):
            advance()
            return .number(text)
        case .parameter:
            advance()
            parameterCount += 1
            return .parameter(parameterCount - 1)
        case .quoted:
            return .path(try parsePath())
        case .symbol("-"):
            advance()
            guard case .number(let text) = current.kind else { throw unexpected() }
            advance()
            return .number("-" + text)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            try expectSymbol(")")
            return inner
        case .symbol("["):
            advance()
            var members: [StatementExpression] = []
            if !consumeSymbol("]") {
                repeat { members.append(try parseSum()) } while consumeSymbol(",")
                try expectSymbol("]")
            }
            return .list(members)
        case .symbol("<<"):
            advance()
            var members: [StatementExpression] = []
            if !consumeSymbol(">>") {
                repeat { members.append(try parseSum()) } while consumeSymbol(",")
                try expectSymbol(">>")
            }
            return .bag(members)
        case .symbol("{"):
            advance()
            var members: [MapMember] = []
            if !consumeSymbol("}") {
                repeat {
                    guard case .string(let key) = current.kind else { throw unexpected() }
                    advance()
                    try expectSymbol(":")
                    members.append(MapMember(key: key, value: try parseSum()))
                } while consumeSymbol(",")
                try expectSymbol("}")
            }
            return .map(members)
        case .word(let word):
            switch word.uppercased() {
            case "TRUE": advance(); return .boolean(true)
            case "FALSE": advance(); return .boolean(false)
            case "NULL": advance(); return .null
            case "MISSING": advance(); return .missing
            default: break
            }
            if peek(1).kind == .symbol("(") {
                advance()
                advance()
                var arguments: [StatementExpression] = []
                if !consumeSymbol(")") {
                    repeat { arguments.append(try parseExpression()) } while consumeSymbol(",")
                    try expectSymbol(")")
                }
                return .function(name: word.lowercased(), arguments: arguments, token: token)
            }
            if Self.reservedWords.contains(word.uppercased()) { throw unexpected() }
            return .path(try parsePath())
        default:
            throw unexpected()
        }
    }
}
