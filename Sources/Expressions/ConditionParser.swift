import DynamoModel

/// Parses condition and filter expressions (and key conditions, whose extra rules are checked by `KeyCondition`).
///
/// condition  := or
/// or         := and ("OR" and)*
/// and        := not ("AND" not)*
/// not        := "NOT" not | primary
/// primary    := "(" condition ")" | function "(" operands ")" | operand comparator operand
///             | operand "BETWEEN" operand "AND" operand | operand "IN" "(" operand ("," operand)* ")"
/// operand    := path | :value | "size" "(" path ")"
/// Precedence (lowest first): OR, AND, NOT, then comparisons, BETWEEN and IN — as DynamoDB documents.
struct ConditionParser {
    var stream: TokenStream
    var attributes: ExpressionAttributes

    static let maximumInOperands = 100

    init(_ source: String, kind: ExpressionKind, attributes: ExpressionAttributes) {
        stream = TokenStream(source, kind: kind)
        self.attributes = attributes
    }

    mutating func parse() throws(DynamoError) -> Condition {
        try stream.checkSize()
        if stream.atEnd { throw stream.error("The expression can not be empty;") }
        let condition = try parseOr()
        guard stream.atEnd else { throw stream.syntaxError() }
        return condition
    }

    mutating func parseOr() throws(DynamoError) -> Condition {
        var left = try parseAnd()
        while stream.consumeKeyword("OR") { left = .or(left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws(DynamoError) -> Condition {
        var left = try parseNot()
        while stream.consumeKeyword("AND") { left = .and(left, try parseNot()) }
        return left
    }

    mutating func parseNot() throws(DynamoError) -> Condition {
        if stream.consumeKeyword("NOT") { return .not(try parseNot()) }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(DynamoError) -> Condition {
        if stream.current.kind == .leftParen {
            _ = stream.advance()
            let redundant = stream.current.kind == .leftParen && parenthesisWrapsWholeGroup()
            if redundant { throw stream.error("The expression has redundant parentheses;") }
            let inner = try parseOr()
            try stream.expect(.rightParen)
            return inner
        }
        if case .identifier(let name) = stream.current.kind, stream.next.kind == .leftParen,
           Self.lowercased(name) != "size" {
            return try parseFunction(Self.lowercased(name), name: name)
        }
        let left = try parseOperand()
        if stream.consumeKeyword("BETWEEN") {
            let lower = try parseOperand()
            guard stream.consumeKeyword("AND") else { throw stream.syntaxError() }
            let upper = try parseOperand()
            try checkBetweenBounds(lower, upper)
            return .between(left, lower, upper)
        }
        if stream.consumeKeyword("IN") {
            try stream.expect(.leftParen)
            var operands = [try parseOperand()]
            while stream.consume(.comma) { operands.append(try parseOperand()) }
            try stream.expect(.rightParen)
            if operands.count > Self.maximumInOperands {
                throw stream.error("The IN operator is provided with too many operands; number of operands: \(operands.count)")
            }
            return .isIn(left, operands)
        }
        guard let comparator = Self.comparator(stream.current.kind) else { throw stream.syntaxError() }
        _ = stream.advance()
        let right = try parseOperand()
        return .compare(left, comparator, right)
    }

    /// At `(` `(`: whether the inner parenthesis closes right before the outer one (so the outer adds nothing).
    func parenthesisWrapsWholeGroup() -> Bool {
        var depth = 0
        var index = stream.position
        while index < stream.tokens.count {
            switch stream.tokens[index].kind {
            case .leftParen: depth += 1
            case .rightParen:
                depth -= 1
                if depth == 0 { return stream.tokens[min(index + 1, stream.tokens.count - 1)].kind == .rightParen }
            case .end: return false
            default: break
            }
            index += 1
        }
        return false
    }

    static func comparator(_ kind: TokenKind) -> Comparator? {
        switch kind {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return nil
        }
    }

    mutating func parseOperand() throws(DynamoError) -> Operand {
        switch stream.current.kind {
        case .valuePlaceholder(let placeholder):
            _ = stream.advance()
            return .value(try attributes.resolveValue(placeholder, kind: stream.kind))
        case .identifier(let name) where stream.next.kind == .leftParen:
            let function = Self.lowercased(name)
            guard function == "size" else {
                if Self.booleanFunctions.contains(function) {
                    throw stream.error("The function is not allowed to be used this way in an expression; function: \(function)")
                }
                if Self.updateFunctions.contains(function) {
                    throw stream.error("The function is not allowed in a \(stream.kind == .update ? "update" : "condition") expression; function: \(function)")
                }
                throw stream.error("Invalid function name; function: \(name)")
            }
            _ = stream.advance()
            _ = stream.advance()
            let arguments = try parseArguments()
            guard arguments.count == 1 else {
                throw stream.error("Incorrect number of operands for operator or function; operator or function: size, number of operands: \(arguments.count)")
            }
            guard case .path(let path) = arguments[0] else {
                throw stream.error("Operator or function requires a document path; operator or function: size")
            }
            return .size(path)
        case .identifier, .namePlaceholder:
            return .path(try stream.parsePath(&attributes))
        default:
            throw stream.syntaxError()
        }
    }

    /// Arguments after `(` up to and including `)`.
    mutating func parseArguments() throws(DynamoError) -> [Operand] {
        var arguments: [Operand] = []
        if stream.consume(.rightParen) { return arguments }
        repeat { arguments.append(try parseOperand()) } while stream.consume(.comma)
        try stream.expect(.rightParen)
        return arguments
    }

    static let booleanFunctions: Set<String> = ["attribute_exists", "attribute_not_exists", "attribute_type",
                                                "begins_with", "contains"]
    static let updateFunctions: Set<String> = ["if_not_exists", "list_append"]
    static let attributeTypes = ["B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M"]

    mutating func parseFunction(_ function: String, name: String) throws(DynamoError) -> Condition {
        guard Self.booleanFunctions.contains(function) else {
            if Self.updateFunctions.contains(function) {
                throw stream.error("The function is not allowed in a condition expression; function: \(function)")
            }
            throw stream.error("Invalid function name; function: \(name)")
        }
        _ = stream.advance()
        _ = stream.advance()
        let arguments = try parseArguments()
        let expected = function.hasPrefix("attribute_") && function != "attribute_type" ? 1 : 2
        guard arguments.count == expected else {
            throw stream.error("Incorrect number of operands for operator or function; operator or function: \(function), number of operands: \(arguments.count)")
        }
        switch function {
        case "attribute_exists", "attribute_not_exists", "attribute_type":
            guard case .path(let path) = arguments[0] else {
                throw stream.error("Operator or function requires a document path; operator or function: \(function)")
            }
            if function == "attribute_exists" { return .attributeExists(path) }
            if function == "attribute_not_exists" { return .attributeNotExists(path) }
            if case .value(let type) = arguments[1] {
                guard case .s(let typeName) = type else {
                    throw stream.error("Incorrect operand type for operator or function; operator or function: attribute_type, operand type: \(type.typeDescriptor)")
                }
                guard Self.attributeTypes.contains(typeName) else {
                    throw stream.error("Invalid attribute type name found; type: \(typeName), valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}")
                }
            }
            return .attributeType(path, arguments[1])
        case "begins_with":
            for argument in arguments {
                if case .value(let value) = argument, value.scalarType == nil || value.scalarType == .n {
                    throw stream.error("Incorrect operand type for operator or function; operator or function: begins_with, operand type: \(value.typeDescriptor)")
                }
            }
            return .beginsWith(arguments[0], arguments[1])
        default:
            if arguments[0] == arguments[1], case .path(let path) = arguments[0] {
                throw stream.error("The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: \(path)")
            }
            return .contains(arguments[0], arguments[1])
        }
    }

    func checkBetweenBounds(_ lower: Operand, _ upper: Operand) throws(DynamoError) {
        guard case .value(let low) = lower, case .value(let high) = upper else { return }
        if low.typeDescriptor == high.typeDescriptor, let order = Evaluator.order(low, high), order > 0 {
            throw stream.error("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                + "lower bound operand: AttributeValue: {\(low.typeDescriptor):\(Self.render(low))}, "
                + "upper bound operand: AttributeValue: {\(high.typeDescriptor):\(Self.render(high))}")
        }
    }

    static func render(_ value: AttributeValue) -> String {
        switch value {
        case .s(let text): return text
        case .n(let number): return number.canonicalText
        case .b(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return value.typeDescriptor
        }
    }

    static func lowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
