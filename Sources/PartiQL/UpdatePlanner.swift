import DynamoModel
import Expressions

/// Translates an UPDATE's SET and REMOVE clauses into update actions: `SET a = value`, arithmetic, `list_append`,
/// `if_not_exists`, and `set_add` / `set_delete` (the ADD and DELETE actions of an UpdateExpression).
package struct UpdatePlanner {
    let binder: ValueBinder

    package init(binder: ValueBinder) {
        self.binder = binder
    }

    package func expression(_ clauses: [UpdateClause]) throws(DynamoError) -> UpdateExpression {
        var actions: [UpdateAction] = []
        for clause in clauses {
            switch clause {
            case .remove(let path):
                actions.append(.remove(path))
            case .set(let path, let value):
                if case .function(let name, let arguments, let token) = value, name == "set_add" || name == "set_delete" {
                    actions.append(try setFunction(name, arguments: arguments, token: token, target: path))
                } else {
                    actions.append(.set(path, try setValue(value)))
                }
            }
        }
        return UpdateExpression(actions: actions)
    }

    /// `a = set_add(a, <<…>>)` adds to the set at `a`; `set_delete` removes from it.
    func setFunction(_ name: String, arguments: [StatementExpression], token: StatementToken,
                     target: DocumentPath) throws(DynamoError) -> UpdateAction {
        let label = name == "set_add" ? "SET_ADD" : "SET_DELETE"
        guard arguments.count == 2 else {
            throw DynamoError.validation("\(label) must have exactly two arguments at \(token.position)")
        }
        guard case .path(let first) = arguments[0], first == target else {
            throw DynamoError.validation("The first argument to \(label) must equal the assignment value at \(token.position)")
        }
        let value = ValueBinder.isValue(arguments[1]) ? try binder.value(of: arguments[1]) : nil
        guard let value, Self.isSet(value) else {
            // DynamoDB points at the first argument, which follows the function name and its parenthesis.
            let position = "\(token.line):\(token.column + token.length + 1):\(first.rootName.count)"
            throw DynamoError.validation("The second argument to \(label) must be a value with type SET at \(position)")
        }
        return name == "set_add" ? .add(target, value) : .delete(target, value)
    }

    static func isSet(_ value: AttributeValue) -> Bool {
        switch value {
        case .ss, .ns, .bs: return true
        default: return false
        }
    }

    func setValue(_ expression: StatementExpression) throws(DynamoError) -> SetValue {
        switch expression {
        case .path(let path):
            return .operand(.path(path))
        case .arithmetic(let left, let plus, let right):
            let a = try setValue(left)
            let b = try setValue(right)
            return plus ? .plus(a, b) : .minus(a, b)
        case .function(let name, let arguments, let token):
            switch name {
            case "list_append":
                guard arguments.count == 2 else {
                    throw DynamoError.validation("Incorrect number of operands for operator or function; operator or function: "
                        + "list_append, number of operands: \(arguments.count)")
                }
                return .listAppend(try setValue(arguments[0]), try setValue(arguments[1]))
            case "if_not_exists":
                guard arguments.count == 2 else {
                    throw DynamoError.validation("Incorrect number of operands for operator or function; operator or function: "
                        + "if_not_exists, number of operands: \(arguments.count)")
                }
                guard case .path(let path) = arguments[0] else {
                    throw DynamoError.validation("Operator or function requires a document path; operator or function: if_not_exists")
                }
                return .ifNotExists(path, try setValue(arguments[1]))
            default:
                throw StatementError.unrecognizedFunction(name, at: token)
            }
        case .isType:
            throw DynamoError.validation("IS operator is not supported in update expressions")
        default:
            guard ValueBinder.isValue(expression) else { throw StatementError.notWellFormed("Unexpected term") }
            return .operand(.value(try binder.value(of: expression)))
        }
    }
}

