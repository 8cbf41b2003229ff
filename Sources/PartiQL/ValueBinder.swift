import DynamoModel
import Expressions

/// Turns literal and parameter expressions into attribute values with DynamoDB's checks: numbers within
/// DynamoDB's range (the message names the path inside the value: "under root.x", "under root[1]"), sets that are
/// non-empty, of one type and without duplicates, maps without repeated keys.
package struct ValueBinder: Sendable {
    package let parameters: [AttributeValue]

    package init(parameters: [AttributeValue]) {
        self.parameters = parameters
    }

    /// Whether an expression is a value (literal or parameter) rather than a path, operator or function.
    static func isValue(_ expression: StatementExpression) -> Bool {
        switch expression {
        case .string, .number, .boolean, .null, .parameter, .list, .map, .bag: return true
        default: return false
        }
    }

    /// The value of a literal or parameter expression.
    package func value(of expression: StatementExpression, path: String = "root", depth: Int = 1) throws(DynamoError) -> AttributeValue {
        if depth > AttributeValue.maximumNestingDepth {
            throw .validation("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit")
        }
        switch expression {
        case .string(let text): return .s(text)
        case .number(let text):
            do throws(DynamoError) {
                return .n(try DynamoNumber(parsing: text))
            } catch {
                throw .validation("\(error.message ?? "") under \(path)")
            }
        case .boolean(let flag): return .bool(flag)
        case .null: return .null
        case .missing: throw StatementError.missingNotWithIs
        case .parameter(let index):
            guard index < parameters.count else { throw StatementError.parameterCount }
            return parameters[index]
        case .list(let members):
            var values: [AttributeValue] = []
            for (index, member) in members.enumerated() { values.append(try value(of: member, path: "\(path)[\(index)]", depth: depth + 1)) }
            return .l(values)
        case .map(let members):
            var map: [String: AttributeValue] = [:]
            for member in members {
                if map[member.key] != nil {
                    throw .validation("Duplicate keys in tuple. Key: \(member.key) under \(path)")
                }
                map[member.key] = try value(of: member.value, path: "\(path).\(member.key)", depth: depth + 1)
            }
            return .m(map)
        case .bag(let members):
            return try bag(members, path: path)
        case .function(let name, _, let token):
            throw .validation("Unsupported data type: \(name) under key \(path) at \(token.position)")
        default:
            throw StatementError.notWellFormed("Unexpected term")
        }
    }

    /// The item of an INSERT: each top-level attribute's value is the root its messages name ("under root",
    /// "under root.x", "under root[1]"), as DynamoDB names them.
    package func item(of expression: StatementExpression) throws(DynamoError) -> Item? {
        switch expression {
        case .map(let members):
            var item: Item = [:]
            for member in members {
                if item[member.key] != nil {
                    throw .validation("Duplicate keys in tuple. Key: \(member.key) under root")
                }
                item[member.key] = try value(of: member.value, depth: 2)
            }
            return item
        case .parameter:
            if case .m(let item) = try value(of: expression) { return item }
            return nil
        default:
            return nil
        }
    }

    /// `<<…>>`: a string, number or binary set.
    func bag(_ members: [StatementExpression], path: String) throws(DynamoError) -> AttributeValue {
        if members.isEmpty { throw StatementError.emptyBag }
        var values: [AttributeValue] = []
        for member in members { values.append(try value(of: member, path: path)) }
        let rendered = "[" + values.map(Self.render).joined(separator: ", ") + "]"
        let duplicates = DynamoError.validation("One or more parameter values were invalid: Input collection \(rendered) contains duplicates.")
        switch values.first {
        case .s?:
            let strings = values.compactMap { value -> String? in if case .s(let text) = value { return text }; return nil }
            guard strings.count == values.count else { throw Self.unsupportedBag }
            if Set(strings).count != strings.count { throw duplicates }
            return .ss(strings)
        case .n?:
            let numbers = values.compactMap { value -> DynamoNumber? in if case .n(let number) = value { return number }; return nil }
            guard numbers.count == values.count else { throw Self.unsupportedBag }
            if Set(numbers).count != numbers.count { throw duplicates }
            return .ns(numbers)
        case .b?:
            let binaries = values.compactMap { value -> [UInt8]? in if case .b(let bytes) = value { return bytes }; return nil }
            guard binaries.count == values.count else { throw Self.unsupportedBag }
            if Set(binaries).count != binaries.count { throw duplicates }
            return .bs(binaries)
        default:
            throw Self.unsupportedBag
        }
    }

    static let unsupportedBag = DynamoError.validation("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags")

    static func render(_ value: AttributeValue) -> String {
        switch value {
        case .s(let text): return text
        case .n(let number): return number.description
        default: return value.typeDescriptor
        }
    }
}
