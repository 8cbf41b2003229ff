import TestSupport
import DynamoModel
import Testing
@testable import Expressions

@Suite("Condition evaluation")
struct EvaluatorTests {
    static let item: Item = [
        "s": .s("hello"), "n": .n(DynamoNumber(10)), "b": .b([1, 2, 3]), "t": .bool(true), "z": .null,
        "l": .l([.s("x"), .n(DynamoNumber(2))]), "m": .m(["innr": .s("deep"), "lst": .l([.s("a")])]),
        "ss": .ss(["a", "b"]), "ns": .ns([DynamoNumber(1), DynamoNumber(2)]), "bs": .bs([[1], [2]]), "u": .s("é😀"),
    ]
    static let values: [String: AttributeValue] = [
        ":hello": .s("hello"), ":he": .s("he"), ":ll": .s("ll"), ":ten": .n(DynamoNumber(10)), ":nine": .n(DynamoNumber(9)),
        ":eleven": .n(DynamoNumber(11)), ":tenS": .s("10"), ":a": .s("a"), ":x": .s("x"), ":two": .n(DynamoNumber(2)),
        ":b12": .b([1, 2]), ":b1": .b([1]), ":deep": .s("deep"), ":S": .s("S"), ":N": .s("N"), ":NULL": .s("NULL"),
        ":SS": .s("SS"), ":M": .s("M"), ":L": .s("L"), ":three": .n(DynamoNumber(3)), ":ssab": .ss(["b", "a"]),
        ":five": .n(DynamoNumber(5)), ":six": .n(DynamoNumber(6)),
    ]

    static let cases: [(String, Bool)] = [
        ("s = :hello", true), ("s = :he", false), ("s <> :he", true), ("nope <> :he", true), ("nope = :he", false),
        ("n = :ten", true), ("n = :tenS", false), ("n <> :tenS", true), ("n > :nine", true), ("n >= :ten", true),
        ("n < :ten", false), ("n <= :ten", true), ("s > :he", true), ("n > :tenS", false), ("nope < :ten", false),
        ("n BETWEEN :nine AND :eleven", true), ("n BETWEEN :eleven AND :eleven", false), ("s BETWEEN :he AND :hello", true),
        ("n IN (:nine, :ten)", true), ("n IN (:nine, :tenS)", false), ("nope IN (:ten)", false),
        ("attribute_exists(m.innr)", true), ("attribute_exists(m.nope)", false), ("attribute_exists(l[1])", true),
        ("attribute_exists(l[2])", false), ("attribute_not_exists(nope)", true), ("attribute_exists(z)", true),
        ("attribute_type(s, :S)", true), ("attribute_type(n, :N)", true), ("attribute_type(z, :NULL)", true),
        ("attribute_type(ss, :SS)", true), ("attribute_type(m, :M)", true), ("attribute_type(l, :L)", true),
        ("attribute_type(s, :N)", false), ("attribute_type(nope, :S)", false),
        ("begins_with(s, :he)", true), ("begins_with(s, :ll)", false), ("begins_with(b, :b12)", true),
        ("begins_with(n, :he)", false),
        ("contains(s, :ll)", true), ("contains(ss, :a)", true), ("contains(ss, :x)", false), ("contains(ns, :two)", true),
        ("contains(l, :x)", true), ("contains(l, :two)", true), ("contains(bs, :b1)", true), ("contains(b, :b12)", true),
        ("contains(n, :ten)", false),
        ("size(s) = :five", true), ("size(b) = :three", true), ("size(ss) = :two", true), ("size(l) = :two", true),
        ("size(m) = :two", true), ("size(u) = :six", true), ("size(n) = :two", false), ("size(nope) = :two", false),
        ("m.innr = :deep", true), ("m.lst[0] = :a", true), ("l[0] = :x", true),
        ("ss = :ssab", true),
        ("s = :hello AND n = :ten", true), ("s = :he OR n = :ten", true), ("NOT s = :hello", false),
        ("NOT (s = :he OR n = :nine)", true),
    ]

    @Test("Every function, operator and type rule", arguments: cases)
    func evaluation(_ text: String, _ expected: Bool) throws {
        var attributes = ExpressionAttributes(values: Self.values)
        let parsed = try ConditionExpression.parse(text, kind: .filter, attributes: &attributes)
        #expect(parsed.evaluate(Self.item) == expected)
    }

    @Test("On a nope item only negative forms hold")
    func nopeItem() throws {
        var attributes = ExpressionAttributes(values: Self.values)
        #expect(try ConditionExpression.parse("attribute_not_exists(s)", kind: .condition, attributes: &attributes).evaluate(nil))
        #expect(!(try ConditionExpression.parse("s = :hello", kind: .condition, attributes: &attributes).evaluate(nil)))
    }

    @Test("Projection keeps nested structure and compacts list elements")
    func projection() throws {
        var attributes = ExpressionAttributes()
        let projection = try ProjectionExpression.parse("m.innr, l[1], s, nope, m.lst[0]", attributes: &attributes)
        #expect(projection.apply(to: Self.item) == [
            "m": .m(["innr": .s("deep"), "lst": .l([.s("a")])]), "l": .l([.n(DynamoNumber(2))]), "s": .s("hello"),
        ])
    }
}

@Suite("Applying updates")
struct UpdateApplicationTests {
    func apply(_ text: String, to item: Item, values: [String: AttributeValue] = [:]) throws(DynamoError) -> Item {
        var attributes = ExpressionAttributes(values: values)
        return try UpdateExpression.parse(text, attributes: &attributes).apply(to: item)
    }

    let one = AttributeValue.n(DynamoNumber(1))

    @Test("SET with arithmetic, if_not_exists and list_append")
    func set() throws {
        let item: Item = ["n": .n(DynamoNumber(5)), "l": .l([.s("a")])]
        let updated = try apply("SET n = n + :one, m = if_not_exists(m, :one), l = list_append(:l, l), k = n - :one",
                                to: item, values: [":one": one, ":l": .l([.s("z")])])
        #expect(updated["n"] == .n(DynamoNumber(6)))
        #expect(updated["m"] == one)
        #expect(updated["l"] == .l([.s("z"), .s("a")]))
        #expect(updated["k"] == .n(DynamoNumber(4)))
    }

    @Test("SET into nested maps and lists; an index past the end appends")
    func nestedSet() throws {
        let item: Item = ["m": .m(["l": .l([.s("a")])])]
        let updated = try apply("SET m.l[5] = :v, m.x = :v", to: item, values: [":v": .s("b")])
        #expect(updated["m"] == .m(["l": .l([.s("a"), .s("b")]), "x": .s("b")]))
        #expect(throws: UpdateExpression.invalidPath) { try apply("SET nope.x = :v", to: item, values: [":v": .s("b")]) }
        #expect(throws: UpdateExpression.missingAttribute) { try apply("SET a = nope", to: item) }
    }

    @Test("REMOVE attributes and list elements (highest index first)")
    func remove() throws {
        let item: Item = ["a": .s("x"), "l": .l([.s("0"), .s("1"), .s("2"), .s("3")])]
        let updated = try apply("REMOVE a, l[1], l[3], nope", to: item)
        #expect(updated == ["l": .l([.s("0"), .s("2")])])
    }

    @Test("ADD to numbers and sets; a nope attribute takes the value")
    func add() throws {
        let item: Item = ["n": .n(DynamoNumber(1)), "ss": .ss(["a"])]
        let updated = try apply("ADD n :two, ss :ss, fresh :two", to: item,
                                values: [":two": .n(DynamoNumber(2)), ":ss": .ss(["a", "b"])])
        #expect(updated["n"] == .n(DynamoNumber(3)))
        #expect(updated["ss"] == .ss(["a", "b"]))
        #expect(updated["fresh"] == .n(DynamoNumber(2)))
        #expect(throws: UpdateExpression.wrongType) { try apply("ADD ss :two", to: item, values: [":two": .n(DynamoNumber(2))]) }
    }

    @Test("DELETE from sets; an emptied set removes the attribute")
    func delete() throws {
        let item: Item = ["ss": .ss(["a", "b"]), "ns": .ns([DynamoNumber(1)])]
        let updated = try apply("DELETE ss :a, ns :one", to: item, values: [":a": .ss(["a"]), ":one": .ns([DynamoNumber(1)])])
        #expect(updated == ["ss": .ss(["b"])])
    }

    @Test("Key attributes cannot be updated")
    func keyAttributes() throws {
        var attributes = ExpressionAttributes(values: [":v": .s("x")])
        let update = try UpdateExpression.parse("SET pk = :v", attributes: &attributes)
        #expect(throws: DynamoError.validation("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")) {
            try update.checkKeyAttributes(["pk"])
        }
    }

    @Test("SET then REMOVE of random top-level and nested paths matches a simple model")
    func setThenRemoveProperty() throws {
        var generator = SeededGenerator(state: 99)
        for _ in 0..<300 {
            var model: [String: [String: Int]] = [:]
            var item: Item = [:]
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let top = "a\(Int.random(in: 0..<4, using: &generator))"
                let nested = "b\(Int.random(in: 0..<3, using: &generator))"
                let value = Int.random(in: 0..<100, using: &generator)
                if model[top] == nil {
                    item = try apply("SET \(top) = :m", to: item, values: [":m": .m([:])])
                    model[top] = [:]
                }
                item = try apply("SET \(top).\(nested) = :v", to: item, values: [":v": .n(DynamoNumber(value))])
                model[top]?[nested] = value
                if Bool.random(using: &generator) {
                    item = try apply("REMOVE \(top).\(nested)", to: item)
                    model[top]?[nested] = nil
                }
            }
            let expected: Item = model.mapValues { .m($0.mapValues { .n(DynamoNumber($0)) }) }
            #expect(item == expected)
        }
    }
}

@Suite("Legacy parameters")
struct LegacyParameterTests {
    @Test("Expected translates to the same conditions as expressions")
    func expected() throws {
        let condition = try LegacyParameters.expected([
            LegacyCondition(attribute: "a", exists: false),
            LegacyCondition(attribute: "b", value: .s("x")),
            LegacyCondition(attribute: "c", comparisonOperator: "GT", attributeValueList: [.n(DynamoNumber(1))]),
        ], conditionalOperator: nil)
        #expect(condition.map { Evaluator.evaluate($0, on: ["b": .s("x"), "c": .n(DynamoNumber(2))]) } == true)
        #expect(condition.map { Evaluator.evaluate($0, on: ["a": .null, "b": .s("x"), "c": .n(DynamoNumber(2))]) } == false)
    }

    @Test("ComparisonOperator argument counts and types are checked")
    func comparisonChecks() {
        #expect(throws: DynamoError.validation("One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator")) {
            try LegacyParameters.filter([LegacyCondition(attribute: "a", comparisonOperator: "EQ", attributeValueList: [])], conditionalOperator: nil)
        }
        #expect(throws: DynamoError.validation("One or more parameter values were invalid: ComparisonOperator GT is not valid for SS AttributeValue type")) {
            try LegacyParameters.filter([LegacyCondition(attribute: "a", comparisonOperator: "GT", attributeValueList: [.ss(["x"])])], conditionalOperator: nil)
        }
    }

    @Test("AttributeUpdates apply like the equivalent UpdateExpression")
    func attributeUpdates() throws {
        let update = try LegacyParameters.attributeUpdates([
            LegacyAttributeUpdate(attribute: "n", action: "ADD", value: .n(DynamoNumber(2))),
            LegacyAttributeUpdate(attribute: "s", action: "PUT", value: .s("x")),
            LegacyAttributeUpdate(attribute: "gone", action: "DELETE", value: nil),
            LegacyAttributeUpdate(attribute: "l", action: "ADD", value: .l([.s("b")])),
        ])
        let updated = try update.apply(to: ["n": .n(DynamoNumber(1)), "gone": .s("y"), "l": .l([.s("a")])])
        #expect(updated == ["n": .n(DynamoNumber(3)), "s": .s("x"), "l": .l([.s("a"), .s("b")])])
    }
}
