import DynamoModel
import Testing
@testable import Expressions

@Suite("Expression parsing and its error messages")
struct ParserTests {
    static let values: [String: AttributeValue] = [":v": .s("x"), ":n": .n(DynamoNumber(1)), ":five": .n(DynamoNumber(5)),
                                                   ":l": .l([]), ":ss": .ss(["a"])]
    static let names = ["#n": "name", "#d": "Date"]

    func condition(_ text: String, names: [String: String] = names, values: [String: AttributeValue] = values)
        throws(DynamoError) -> Condition
    {
        var attributes = ExpressionAttributes(names: names, values: values)
        return try ConditionExpression.parse(text, kind: .condition, attributes: &attributes).condition
    }

    static let valid = [
        "a = :v", "a <> :v AND b < :n OR NOT c >= :n", "(a = :v OR b = :v) AND c = :v", "a BETWEEN :n AND :five",
        "a IN (:v, :n)", "attribute_exists(a.b[2].c)", "attribute_not_exists(#n)", "attribute_type(a, :v)",
        "begins_with(#d, :v)", "contains(a, :v)", "size(a) > :n", "#n.#d[0] = :v", "a=:v and b=:v or not c=:v",
        "NOT (a = :v)",
    ]

    @Test("Valid conditions parse", arguments: valid)
    func validConditions(_ text: String) throws {
        _ = try condition(text, values: Self.values.merging([":v": .s("S")]) { $1 })
    }

    @Test("NOT binds tighter than AND, which binds tighter than OR")
    func precedence() throws {
        let parsed = try condition("NOT a = :v AND b = :v OR c = :v")
        let a = Condition.compare(.path(DocumentPath(name: "a")), .equal, .value(.s("x")))
        let b = Condition.compare(.path(DocumentPath(name: "b")), .equal, .value(.s("x")))
        let c = Condition.compare(.path(DocumentPath(name: "c")), .equal, .value(.s("x")))
        #expect(parsed == .or(.and(.not(a), b), c))
    }

    static let invalid: [(String, String)] = [
        ("", "Invalid ConditionExpression: The expression can not be empty;"),
        ("a = = :v", "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= =\""),
        ("foo", "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\""),
        ("a = :v b", "Invalid ConditionExpression: Syntax error; token: \"b\", near: \":v b\""),
        ("a = :missing", "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing"),
        ("#missing = :v", "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #missing"),
        ("name = :v", "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"),
        ("foo(a)", "Invalid ConditionExpression: Invalid function name; function: foo"),
        ("begins_with(a)", "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"),
        ("attribute_exists(:v)", "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"),
        ("((a = :v))", "Invalid ConditionExpression: The expression has redundant parentheses;"),
        ("contains(a, a)", "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]"),
        ("a BETWEEN :five AND :n", "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"),
        ("attribute_type(a, :n)", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"),
        ("begins_with(a, :n)", "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
        ("if_not_exists(a, :v)", "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists"),
        ("a = :v !", "Invalid ConditionExpression: Syntax error; token: \"!\", near: \":v !\""),
    ]

    @Test("Invalid conditions fail with DynamoDB's messages", arguments: invalid)
    func invalidConditions(_ text: String, _ message: String) {
        #expect(throws: DynamoError.validation(message)) { try condition(text) }
    }

    @Test("Expressions longer than 4 KB are refused")
    func sizeLimit() {
        let long = "a = :v OR " + String(repeating: "a = :v OR ", count: 410) + "a = :v"
        #expect(throws: DynamoError.validation("Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: \(long.utf8.count)")) {
            try condition(long)
        }
    }

    @Test("IN takes at most 100 operands")
    func inLimit() {
        var values: [String: AttributeValue] = [:]
        for index in 0..<101 { values[":v\(index)"] = .n(DynamoNumber(index)) }
        let list = (0..<101).map { ":v\($0)" }.joined(separator: ", ")
        #expect(throws: DynamoError.validation("Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101")) {
            try condition("a IN (\(list))", values: values)
        }
    }

    @Test("Unused names and values are reported after parsing")
    func unused() throws {
        var attributes = ExpressionAttributes(names: ["#a": "a", "#b": "b"], values: [":v": .s("x"), ":w": .s("y")])
        _ = try ConditionExpression.parse("#a = :v", kind: .condition, attributes: &attributes)
        #expect(throws: DynamoError.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}")) {
            try attributes.checkAllUsed()
        }
        _ = try ConditionExpression.parse("#b = :v", kind: .filter, attributes: &attributes)
        #expect(throws: DynamoError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}")) {
            try attributes.checkAllUsed()
        }
    }

    static let invalidUpdates: [(String, String)] = [
        ("", "Invalid UpdateExpression: The expression can not be empty;"),
        ("INVALID SYNTAX HERE", "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\""),
        ("SET a = :v SET b = :v", "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"),
        ("SET a = :v REMOVE a", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"),
        ("SET a.b = :v, a[0] = :v", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]"),
        ("ADD a :v", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"),
        ("DELETE a :n", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"),
        ("SET a = :v + :n", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"),
        ("SET a = list_append(:v, :l)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"),
        ("SET a = begins_with(b, :v)", "Invalid UpdateExpression: The function is not allowed in a update expression; function: begins_with"),
        ("SET a = :missing", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :missing"),
    ]

    @Test("Invalid update expressions fail with DynamoDB's messages", arguments: invalidUpdates)
    func invalidUpdateExpressions(_ text: String, _ message: String) {
        var attributes = ExpressionAttributes(names: nil, values: Self.values)
        #expect(throws: DynamoError.validation(message)) { try UpdateExpression.parse(text, attributes: &attributes) }
    }

    @Test("Projection paths may not overlap")
    func projectionOverlap() {
        var attributes = ExpressionAttributes(names: ["#a": "a", "#b": "a"])
        #expect(throws: DynamoError.validation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]")) {
            try ProjectionExpression.parse("#a, #b", attributes: &attributes)
        }
        var plain = ExpressionAttributes()
        #expect(throws: DynamoError.validation("Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]")) {
            try ProjectionExpression.parse("a, a.b", attributes: &plain)
        }
    }
}
