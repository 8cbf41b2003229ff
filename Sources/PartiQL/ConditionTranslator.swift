import DynamoModel
import Expressions

/// Translates a PartiQL WHERE clause into the condition AST the Evaluator runs, binding values as it goes, with
/// DynamoDB's messages for what a WHERE clause cannot hold.
package struct ConditionTranslator {
    let binder: ValueBinder

    package init(binder: ValueBinder) {
        self.binder = binder
    }

    /// The condition a WHERE clause stands for.
    package func condition(_ expression: StatementExpression) throws(DynamoError) -> Condition {
        switch expression {
        case .and(let left, let right): return .and(try condition(left), try condition(right))
        case .or(let left, let right): return .or(try condition(left), try condition(right))
        case .not(let inner): return .not(try condition(inner))
        case .compare(let left, let comparator, let right):
            if let truth = booleanConstant(right), let predicate = try? functionCondition(left) {
                return Self.apply(truth, comparator, predicate)
            }
            if let truth = booleanConstant(left), let predicate = try? functionCondition(right) {
                return Self.apply(truth, comparator, predicate)
            }
            let a = try operand(left)
            let b = try operand(right)
            if comparator != .equal && comparator != .notEqual {
                try checkOrdered(a, name: comparator.rawValue)
                try checkOrdered(b, name: comparator.rawValue)
            }
            return .compare(a, comparator, b)
        case .between(let value, let low, let high):
            let operands = [try operand(value), try operand(low), try operand(high)]
            for operand in operands { try checkOrdered(operand, name: "BETWEEN") }
            return .between(operands[0], operands[1], operands[2])
        case .isIn(let value, let candidates):
            guard case .path = value, !candidates.isEmpty else {
                throw DynamoError.validation("IN operator must have a left hand argument of type Variable Reference and right "
                    + "hand argument of type Seq with at least one member")
            }
            var operands: [Operand] = []
            for candidate in candidates {
                if case .parameter = candidate, candidates.count == 1, case .l(let list) = try binder.value(of: candidate) {
                    operands.append(contentsOf: list.map { .value($0) })
                } else {
                    operands.append(try operand(candidate))
                }
            }
            return .isIn(try operand(value), operands)
        case .isType(let value, let typeName, let negated, _):
            guard case .path(let path) = value else {
                throw DynamoError.validation("The left hand side argument to IS must be a Variable Reference, Literal, or Path")
            }
            let positive: Condition
            if typeName == "MISSING" {
                positive = .attributeNotExists(path)
            } else if let descriptors = Self.typeDescriptors[typeName] {
                let tests = descriptors.map { Condition.attributeType(path, .value(.s($0))) }
                positive = tests.dropFirst().reduce(tests[0]) { .or($0, $1) }
            } else {
                throw DynamoError.validation("Unsupported data type for IS operator: \(typeName). Supported data types are "
                    + "[MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]")
            }
            return negated ? .not(positive) : positive
        case .function:
            return try functionCondition(expression)
        default:
            throw StatementError.whereNotBoolean
        }
    }

    /// The attribute types each IS type name covers.
    static let typeDescriptors: [String: [String]] = [
        "NULL": ["NULL"], "BOOL": ["BOOL"], "BOOLEAN": ["BOOL"], "BLOB": ["B"], "STRING": ["S"], "NUMERIC": ["N"],
        "STRUCT": ["M"], "TUPLE": ["M"], "LIST": ["L"],
    ]

    func booleanConstant(_ expression: StatementExpression) -> Bool? {
        if case .boolean(let flag) = expression { return flag }
        if case .parameter = expression, case .bool(let flag)? = try? binder.value(of: expression) { return flag }
        return nil
    }

    /// `f(…) = true` and friends: the function's condition, negated where the comparison says so.
    static func apply(_ truth: Bool, _ comparator: Comparator, _ predicate: Condition) -> Condition {
        let wantsTrue = (comparator == .equal) == truth
        return wantsTrue ? predicate : .not(predicate)
    }

    /// The boolean functions of a WHERE clause.
    func functionCondition(_ expression: StatementExpression) throws(DynamoError) -> Condition {
        guard case .function(let name, let arguments, let token) = expression else { throw StatementError.whereNotBoolean }
        func requireCount(_ count: Int) throws(DynamoError) {
            guard arguments.count == count else {
                throw DynamoError.validation("Incorrect number of operands for operator or function; operator or function: "
                    + "\(name), number of operands: \(arguments.count)")
            }
        }
        func path(_ argument: StatementExpression) throws(DynamoError) -> DocumentPath {
            guard case .path(let path) = argument else {
                throw DynamoError.validation("Operator or function requires a document path; operator or function: \(name)")
            }
            return path
        }
        switch name {
        case "attribute_exists":
            try requireCount(1)
            return .attributeExists(try path(arguments[0]))
        case "attribute_not_exists":
            try requireCount(1)
            return .attributeNotExists(try path(arguments[0]))
        case "attribute_type":
            try requireCount(2)
            let type = try operand(arguments[1])
            if case .value(let value) = type {
                guard case .s(let text) = value, Self.attributeTypes.contains(text) else {
                    throw DynamoError.validation("Invalid attribute type name found; type: \(Self.render(value)), valid types: "
                        + "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}")
                }
            }
            return .attributeType(try path(arguments[0]), type)
        case "begins_with":
            try requireCount(2)
            return .beginsWith(try operand(arguments[0]), try operand(arguments[1]))
        case "contains":
            try requireCount(2)
            return .contains(try operand(arguments[0]), try operand(arguments[1]))
        default:
            throw StatementError.unrecognizedFunction(name, at: token)
        }
    }

    static let attributeTypes: Set<String> = ["B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M"]

    static func render(_ value: AttributeValue) -> String {
        if case .s(let text) = value { return text }
        return value.typeDescriptor
    }

    /// A value-producing term: a path, a value, or `size(path)`.
    package func operand(_ expression: StatementExpression) throws(DynamoError) -> Operand {
        switch expression {
        case .path(let path): return .path(path)
        case .missing: throw StatementError.missingNotWithIs
        case .function(let name, let arguments, let token):
            guard name == "size" else {
                if ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"].contains(name) {
                    throw DynamoError.validation("Unsupported operation: \(name) cannot be used as an operand")
                }
                throw StatementError.unrecognizedFunction(name, at: token)
            }
            guard arguments.count == 1 else {
                throw DynamoError.validation("Incorrect number of operands for operator or function; operator or function: "
                    + "size, number of operands: \(arguments.count)")
            }
            guard case .path(let path) = arguments[0] else {
                throw DynamoError.validation("Operator or function requires a document path; operator or function: size")
            }
            return .size(path)
        default:
            guard ValueBinder.isValue(expression) else { throw StatementError.whereNotBoolean }
            return .value(try binder.value(of: expression))
        }
    }

    /// Ordering operators refuse values whose type has no order.
    func checkOrdered(_ operand: Operand, name: String) throws(DynamoError) {
        guard case .value(let value) = operand else { return }
        switch value {
        case .s, .n, .b: return
        default:
            throw DynamoError.validation("Incorrect operand type for operator or function; operator or function: \(name), "
                + "operand type: \(value.typeDescriptor)")
        }
    }
}
