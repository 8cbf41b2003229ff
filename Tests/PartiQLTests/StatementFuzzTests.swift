import TestSupport
import DynamoModel
import Expressions
import Testing
@testable import PartiQL

@Suite("PartiQL robustness")
struct StatementFuzzTests {
    static let fragments = [
        "SELECT", "INSERT", "INTO", "UPDATE", "DELETE", "FROM", "WHERE", "SET", "REMOVE", "VALUE", "RETURNING", "ALL", "NEW",
        "OLD", "MODIFIED", "ORDER", "BY", "DESC", "AND", "OR", "NOT", "IN", "IS", "MISSING", "NULL", "BETWEEN", "EXISTS",
        "\"t\"", "t", "a", "b.c", "d[1]", "'s'", "''", "1", "-2.5e3", ".5", "1e999", "?", "*", ",", ".", "(", ")", "[", "]",
        "{", "}", ":", "<<", ">>", "=", "<>", "<", ">=", "+", "-", "size(", "set_add(", "begins_with(", "--", "/*", "*/",
        "#", "\"", "'", "\n",
    ]

    @Test("Random token soup is refused or parsed, never a crash")
    func tokenSoup() {
        var generator = SeededGenerator(state: 42)
        let binder = ValueBinder(parameters: [.s("p"), .n(DynamoNumber(1)), .ss(["x"])])
        for _ in 0..<5000 {
            let count = Int.random(in: 1...14, using: &generator)
            let text = (0..<count).map { _ in Self.fragments.randomElement(using: &generator) ?? "" }.joined(separator: " ")
            guard let parsed = try? StatementParser.parse(text) else { continue }
            // Whatever parses also binds, translates and plans without trapping.
            let translator = ConditionTranslator(binder: binder)
            let schema = KeySchema(partitionKey: KeyAttribute(name: "a", type: .s), sortKey: KeyAttribute(name: "t", type: .n))
            switch parsed.statement {
            case .select(let select), .exists(let select):
                if let clause = select.whereClause, let condition = try? translator.condition(clause) {
                    _ = ReadPlanner.plan(condition, schema: schema)
                    _ = try? OverlapCheck.check(condition, schema: schema)
                    _ = try? KeyExtractor.extract(condition, schema: schema)
                    _ = Evaluator.evaluate(condition, on: ["a": .s("p"), "t": .n(DynamoNumber(1))])
                }
            case .insert(let insert):
                _ = try? binder.value(of: insert.value)
            case .update(let update):
                _ = try? UpdatePlanner(binder: binder).expression(update.clauses)
            case .delete:
                break
            }
        }
    }
}
