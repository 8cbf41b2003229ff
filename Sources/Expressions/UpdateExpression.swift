import DynamoModel

/// An UpdateExpression (or legacy AttributeUpdates translated into the same actions).
///
/// update  := clause+ ; each of SET, REMOVE, ADD, DELETE at most once, in any order
/// SET     := "SET" path "=" value ("," path "=" value)*
/// value   := term (("+" | "-") term)?
/// term    := path | :value | "if_not_exists" "(" path "," term ")" | "list_append" "(" term "," term ")"
/// REMOVE  := "REMOVE" path ("," path)*
/// ADD     := "ADD" path :value ("," path :value)*
/// DELETE  := "DELETE" path :value ("," path :value)*
package struct UpdateExpression: Sendable {
    package let actions: [UpdateAction]

    package init(actions: [UpdateAction]) {
        self.actions = actions
    }

    package static func parse(_ source: String, attributes: inout ExpressionAttributes) throws(DynamoError) -> UpdateExpression {
        var parser = UpdateParser(stream: TokenStream(source, kind: .update), attributes: attributes)
        let actions = try parser.parse()
        attributes = parser.attributes
        return UpdateExpression(actions: actions)
    }

    /// Refuses actions on key attributes, as DynamoDB does once it knows the table's key.
    package func checkKeyAttributes(_ keyNames: [String]) throws(DynamoError) {
        for action in actions where keyNames.contains(action.path.rootName) {
            throw .validation("One or more parameter values were invalid: Cannot update attribute \(action.path.rootName). "
                + "This attribute is part of the key")
        }
    }

    /// The document paths the update touches (for UPDATED_OLD / UPDATED_NEW).
    package var paths: [DocumentPath] { actions.map(\.path) }
}

struct UpdateParser {
    var stream: TokenStream
    var attributes: ExpressionAttributes

    mutating func parse() throws(DynamoError) -> [UpdateAction] {
        try stream.checkSize()
        if stream.atEnd { throw stream.error("The expression can not be empty;") }
        var actions: [UpdateAction] = []
        var seenClauses = Set<String>()
        while !stream.atEnd {
            guard case .identifier(let word) = stream.current.kind else { throw stream.syntaxError() }
            let clause = ConditionParser.lowercased(word).uppercased()
            guard ["SET", "REMOVE", "ADD", "DELETE"].contains(clause) else { throw stream.syntaxError() }
            if !seenClauses.insert(clause).inserted {
                throw stream.error("The \"\(clause)\" section can only be used once in an update expression;")
            }
            _ = stream.advance()
            repeat {
                actions.append(try parseAction(clause))
            } while stream.consume(.comma)
        }
        try ProjectionExpression.checkDistinct(actions.map(\.path), stream: stream)
        return actions
    }

    mutating func parseAction(_ clause: String) throws(DynamoError) -> UpdateAction {
        let path = try stream.parsePath(&attributes)
        switch clause {
        case "SET":
            try stream.expect(.equal)
            return .set(path, try parseValue())
        case "REMOVE":
            return .remove(path)
        default:
            guard case .valuePlaceholder(let placeholder) = stream.current.kind else { throw stream.syntaxError() }
            _ = stream.advance()
            let value = try attributes.resolveValue(placeholder, kind: .update)
            if clause == "ADD" {
                switch value {
                case .n, .ss, .ns, .bs: return .add(path, value)
                default:
                    throw stream.error("Incorrect operand type for operator or function; operator: ADD, operand type: "
                        + "\(Self.typeName(value)), typeSet: ALLOWED_FOR_ADD_OPERAND")
                }
            }
            switch value {
            case .ss, .ns, .bs: return .delete(path, value)
            default:
                throw stream.error("Incorrect operand type for operator or function; operator: DELETE, operand type: "
                    + "\(Self.typeName(value)), typeSet: ALLOWED_FOR_DELETE_OPERAND")
            }
        }
    }

    /// DynamoDB's long type names in ADD/DELETE messages.
    static func typeName(_ value: AttributeValue) -> String {
        switch value {
        case .s: return "STRING"
        case .n: return "NUMBER"
        case .b: return "BINARY"
        case .bool: return "BOOLEAN"
        case .null: return "NULL"
        case .l: return "LIST"
        case .m: return "MAP"
        case .ss: return "STRING_SET"
        case .ns: return "NUMBER_SET"
        case .bs: return "BINARY_SET"
        }
    }

    mutating func parseValue() throws(DynamoError) -> SetValue {
        let left = try parseTerm()
        if stream.consume(.plus) {
            let right = try parseTerm()
            try checkArithmeticOperand(left, "+")
            try checkArithmeticOperand(right, "+")
            return .plus(left, right)
        }
        if stream.consume(.minus) {
            let right = try parseTerm()
            try checkArithmeticOperand(left, "-")
            try checkArithmeticOperand(right, "-")
            return .minus(left, right)
        }
        return left
    }

    func checkArithmeticOperand(_ value: SetValue, _ symbol: String) throws(DynamoError) {
        if case .operand(.value(let constant)) = value, !(constant.scalarType == .n) {
            throw stream.error("Incorrect operand type for operator or function; operator or function: \(symbol), "
                + "operand type: \(constant.typeDescriptor)")
        }
    }

    mutating func parseTerm() throws(DynamoError) -> SetValue {
        switch stream.current.kind {
        case .valuePlaceholder(let placeholder):
            _ = stream.advance()
            return .operand(.value(try attributes.resolveValue(placeholder, kind: .update)))
        case .identifier(let name) where stream.next.kind == .leftParen:
            let function = ConditionParser.lowercased(name)
            _ = stream.advance()
            _ = stream.advance()
            switch function {
            case "if_not_exists":
                let path = try stream.parsePath(&attributes)
                try stream.expect(.comma)
                let fallback = try parseTerm()
                try stream.expect(.rightParen)
                return .ifNotExists(path, fallback)
            case "list_append":
                let first = try parseTerm()
                try stream.expect(.comma)
                let second = try parseTerm()
                try stream.expect(.rightParen)
                for argument in [first, second] {
                    if case .operand(.value(let constant)) = argument, case .l = constant {} else if case .operand(.value(let constant)) = argument {
                        throw stream.error("Incorrect operand type for operator or function; operator or function: "
                            + "list_append, operand type: \(constant.typeDescriptor)")
                    }
                }
                return .listAppend(first, second)
            default:
                if ConditionParser.booleanFunctions.contains(function) || function == "size" {
                    throw stream.error("The function is not allowed in a update expression; function: \(function)")
                }
                throw stream.error("Invalid function name; function: \(name)")
            }
        case .identifier, .namePlaceholder:
            return .operand(.path(try stream.parsePath(&attributes)))
        default:
            throw stream.syntaxError()
        }
    }
}
