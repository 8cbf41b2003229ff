import DynamoModel
import Expressions
import Testing
@testable import PartiQL

@Suite("PartiQL read planning: Query or Scan")
struct ReadPlannerTests {
    let schema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s), sortKey: KeyAttribute(name: "sk", type: .n))

    func plan(_ whereClause: String?, parameters: [AttributeValue] = []) throws -> ReadPlan {
        let text = "SELECT * FROM t" + (whereClause.map { " WHERE \($0)" } ?? "")
        guard case .select(let select) = try StatementParser.parse(text).statement else { return .scan }
        let condition = try select.whereClause.map { clause in
            try ConditionTranslator(binder: ValueBinder(parameters: parameters)).condition(clause)
        }
        return ReadPlanner.plan(condition, schema: schema)
    }

    static let one = AttributeValue.n(DynamoNumber(1))
    static let five = AttributeValue.n(DynamoNumber(5))

    static let queries: [(String, ReadPlan)] = [
        ("pk = 'a'", .query(partitions: [.s("a")], sort: nil)),
        ("'a' = pk", .query(partitions: [.s("a")], sort: nil)),
        ("pk = 'a' AND sk = 1", .query(partitions: [.s("a")], sort: .equal(one))),
        ("pk = 'a' AND sk > 1", .query(partitions: [.s("a")], sort: .greater(one))),
        ("pk = 'a' AND 1 < sk", .query(partitions: [.s("a")], sort: .greater(one))),
        ("pk = 'a' AND sk <= 1", .query(partitions: [.s("a")], sort: .lessOrEqual(one))),
        ("pk = 'a' AND sk BETWEEN 1 AND 5", .query(partitions: [.s("a")], sort: .between(one, five))),
        ("pk = 'a' AND sk <> 1", .query(partitions: [.s("a")], sort: nil)),
        ("pk = 'a' AND other = 1 AND sk >= 5", .query(partitions: [.s("a")], sort: .greaterOrEqual(five))),
        ("pk IN ['a', 'b', 'a']", .query(partitions: [.s("a"), .s("b")], sort: nil)),
        ("pk IN ['a', 'b'] AND pk = 'b'", .query(partitions: [.s("b")], sort: nil)),
        ("pk = 1", .query(partitions: [], sort: nil)),
    ]

    @Test("A WHERE that pins the partition key becomes a Query with the sort-key range", arguments: queries)
    func query(_ whereClause: String, _ expected: ReadPlan) throws {
        #expect(try plan(whereClause) == expected)
    }

    static let scans: [String?] = [
        nil,
        "sk = 1",
        "pk <> 'a'",
        "pk = 'a' OR pk = 'b'",
        "NOT pk = 'a'",
        "begins_with(pk, 'a')",
        "other = 'a'",
        "pk.inside = 'a'",
    ]

    @Test("Anything else is a Scan", arguments: scans)
    func scan(_ whereClause: String?) throws {
        #expect(try plan(whereClause) == .scan)
    }

    @Test("Parameters bind into the plan")
    func parameters() throws {
        #expect(try plan("pk = ? AND sk < ?", parameters: [.s("p"), Self.five]) == .query(partitions: [.s("p")], sort: .less(Self.five)))
    }

    @Test("UPDATE and DELETE need one equality per key attribute; the rest is a condition")
    func keyExtraction() throws {
        func extract(_ whereClause: String) throws -> KeyedWhere {
            guard case .select(let select) = try StatementParser.parse("SELECT * FROM t WHERE \(whereClause)").statement,
                  let clause = select.whereClause else { throw DynamoError.validation("none") }
            let condition = try ConditionTranslator(binder: ValueBinder(parameters: [])).condition(clause)
            return try KeyExtractor.extract(condition, schema: schema)
        }
        let keyed = try extract("pk = 'a' AND sk = 1 AND n > 2")
        #expect(keyed.key == ["pk": .s("a"), "sk": Self.one])
        #expect(keyed.condition == .compare(.path(DocumentPath(name: "n")), .greater, .value(.n(DynamoNumber(2)))))
        #expect(try extract("sk = 1 AND pk = 'a'").condition == nil)
        let incomplete = DynamoError.validation("Where clause does not contain a mandatory equality on all key attributes")
        #expect(throws: incomplete) { try extract("pk = 'a'") }
        #expect(throws: incomplete) { try extract("pk = 'a' AND sk > 1") }
        #expect(throws: incomplete) { try extract("pk = 'a' OR sk = 1") }
        #expect(throws: incomplete) { try KeyExtractor.extract(nil, schema: schema) }
    }
}

@Suite("PartiQL OR branches that overlap on the sort key")
struct OverlapCheckTests {
    let schema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s), sortKey: KeyAttribute(name: "sk", type: .s))

    func check(_ whereClause: String) throws {
        guard case .select(let select) = try StatementParser.parse("SELECT * FROM t WHERE \(whereClause)").statement,
              let clause = select.whereClause else { return }
        try OverlapCheck.check(try ConditionTranslator(binder: ValueBinder(parameters: [])).condition(clause), schema: schema)
    }

    static let refused: [String] = [
        "pk = 'a' AND x = '1' OR pk = 'a' AND sk = '2'",
        "pk = 'a' AND x <> '1' OR pk = 'a' AND sk = '2'",
        "pk = 'a' AND sk > '1' OR pk = 'a' AND sk BETWEEN '0' AND '5'",
        "pk = 'a' AND begins_with(sk, 'ab') OR pk = 'a' AND sk = 'abc'",
        "pk = 'a' AND sk >= '2' OR pk = 'a' AND sk <= '2'",
    ]

    @Test("Overlapping ranges in one partition are refused", arguments: refused)
    func refusedOverlap(_ whereClause: String) {
        #expect(throws: DynamoError.validation("Overlapping conditions with range keys are not supported in where clause")) {
            try check(whereClause)
        }
    }

    static let allowed: [String] = [
        "pk = 'a' AND sk = '1' OR pk = 'a' AND sk = '2'",
        "pk = 'a' AND sk > '2' OR pk = 'a' AND sk < '2'",
        "pk = 'a' AND sk = '1' OR pk = 'b'",
        "pk = 'a' AND NOT sk = '1' OR pk = 'a' AND sk = '2'",
        "pk = 'a' AND sk <> '1' OR pk = 'a' AND sk = '2'",
        "pk = 'a' AND NOT sk IN ['1', '3'] OR pk = 'a' AND sk = '2'",
        "pk = 'a' OR pk = 'a' AND NOT sk = '1'",
        "pk = 'a' AND begins_with(sk, 'ab') OR pk = 'a' AND sk = 'b'",
        "x = 1 OR sk = '2'",
    ]

    @Test("Disjoint ranges, other partitions and branches that are no key range run", arguments: allowed)
    func allowedBranches(_ whereClause: String) throws {
        try check(whereClause)
    }
}
