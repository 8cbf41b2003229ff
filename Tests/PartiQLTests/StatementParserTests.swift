import DynamoModel
import Expressions
import Testing
@testable import PartiQL

@Suite("PartiQL statement parsing")
struct StatementParserTests {
    static func path(_ names: String...) -> DocumentPath { DocumentPath(names.map { .name($0) }) }

    static let accepted: [String] = [
        "SELECT * FROM \"t\"",
        "select * from t",
        "SELECT a, b.c, d[0].e, \"quoted name\" FROM \"t\" WHERE pk = 'x'",
        "SELECT * FROM \"t\".\"idx\" WHERE g = 1",
        "SELECT * FROM \"t\" WHERE pk = 'x' AND sk BETWEEN 1 AND 5 ORDER BY sk DESC",
        "SELECT * FROM \"t\" WHERE pk IN ['a', 'b'] AND NOT sk IN [1, 2]",
        "SELECT * FROM \"t\" WHERE a <> 1 OR b != 2 OR c < 3 OR d <= 4 OR e > 5 OR f >= 6",
        "SELECT * FROM \"t\" WHERE a IS MISSING AND b IS NOT MISSING AND c IS NULL AND d IS NOT NULL",
        "SELECT * FROM \"t\" WHERE begins_with(a, 'x') AND contains(b, ?) AND attribute_type(c, 'S') AND size(d) > 2",
        "SELECT * FROM \"t\" WHERE attribute_exists(a) = true AND (x = 1 OR y = 2)",
        "SELECT * FROM \"t\" WHERE pk = 7.31E6 AND n = -.73e1",
        "-- a comment\nSELECT * FROM \"t\" /* inline */ WHERE pk = 'x' -- trailing",
        "INSERT INTO \"t\" VALUE {'pk': 'x', 'n': 1, 'b': true, 'z': NULL, 'l': [1, 'a'], 'm': {'k': <<1, 2>>}, 's': <<'a'>>}",
        "INSERT INTO t VALUE {'pk': ?}",
        "UPDATE \"t\" SET a = 1, b = a + 2 SET c = list_append(c, [1]) REMOVE d, e[1] WHERE pk = 'x' RETURNING ALL NEW *",
        "UPDATE \"t\" SET s = set_add(s, <<'x'>>) SET s2 = set_delete(s2, ?) WHERE pk = 'x' RETURNING MODIFIED OLD *",
        "FROM \"t\" WHERE pk = 'x' SET a = 1 REMOVE b",
        "DELETE FROM \"t\" WHERE pk = 'x' RETURNING ALL OLD *",
        "EXISTS(SELECT * FROM \"t\" WHERE pk = 'x' AND a = 1)",
    ]

    @Test("Every supported statement form parses", arguments: accepted)
    func parses(_ text: String) throws {
        _ = try StatementParser.parse(text)
    }

    static let refused: [(String, String)] = [
        ("SELECT * FROM \"t\" WHERE pk = 1 foo", "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
        ("SELECT * FROM \"t\" WHERE pk = 1 e5", "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
        ("SELECT * FROM \"t\" WHERE pk = 1)", "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
        ("INSERT INTO \"t\" VALUE {'pk': 1} foo", "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
        ("DELETE FROM \"t\" WHERE pk = 1 ORDER BY pk", "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
        ("SELECT * FROM \"t\" ORDER BY pk WHERE pk = 1", "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
        ("INSERT INTO \"t\" t VALUE {'pk': 'x'}", "Statement wasn't well formed, can't be processed: Unexpected token after expression"),
        ("SELECT * FROM \"t\" WHERE pk = 1e2147483648", "Statement wasn't well formed, can't be processed: "),
        ("SELECT * FROM \"t\" WHERE pk = 1.5e-2147483647", "Statement wasn't well formed, can't be processed: "),
        ("SELECT * FROM \"t\" WHERE pk = 1 # note", "Statement wasn't well formed, can't be processed: "),
        ("SELECT * FROM \"t\" WHERE pk = 1 /* note", "Statement wasn't well formed, can't be processed: "),
        ("SELECT * FROM \"t\" t WHERE pk = 'x'", "Aliasing is not supported"),
        ("SELECT * FROM \"t\" AS t WHERE pk = 'x'", "Aliasing is not supported"),
        ("UPDATE \"t\" t SET a = 3 WHERE pk = 'x'", "Aliasing is not supported"),
        ("DELETE FROM \"t\" t WHERE pk = 'x'", "Aliasing is not supported"),
        ("SELECT * FROM \"t\" WHERE attribute_exists(m.inner)", "Statement wasn't well formed, can't be processed: Invalid path dot component"),
        ("SELECT *, a FROM \"t\"", "Other attributes should not be present in the projection when '*' is used."),
        ("SELECT attribute_exists(ss) FROM \"t\"", "Unexpected path component at 1:8:16"),
        ("INSERT INTO \"t\" VALUE {'pk': 'x'} RETURNING ALL OLD *", "RETURNING is not supported in INSERT"),
        ("SELECT * FROM 't'", "Unexpected from source"),
        ("SELECT * FROM ?", "Unexpected from source"),
        ("SELECT * FROM \"a\", \"b\"", "Only select from a single table or index is supported."),
        ("SELECT * FROM \"a\".\"b\".\"c\"", "A path may contain at most 2 components in the FROM clause"),
        ("DELETE FROM \"t\" WHERE pk = 'x' RETURNING ALL NEW *",
         "Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements."),
        ("UPDATE \"t\" SET a = 1 WHERE pk = 'x' RETURNING ALL NEW a",
         "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"),
    ]

    @Test("Malformed statements get DynamoDB's messages", arguments: refused)
    func refuses(_ text: String, _ message: String) {
        #expect(throws: DynamoError.validation(message)) { try StatementParser.parse(text) }
    }

    @Test("A SELECT parses into its projection, source, condition and ordering")
    func selectShape() throws {
        let parsed = try StatementParser.parse("SELECT a.b[2], c FROM \"t\".\"i\" WHERE pk = ? AND sk >= 3 ORDER BY sk DESC")
        #expect(parsed.parameterCount == 1)
        guard case .select(let select) = parsed.statement else {
            Issue.record("not a select")
            return
        }
        #expect(select.projection == [DocumentPath([.name("a"), .name("b"), .index(2)]), Self.path("c")])
        #expect(select.tableName == "t")
        #expect(select.indexName == "i")
        #expect(select.whereClause == .and(.compare(.path(Self.path("pk")), .equal, .parameter(0)),
                                           .compare(.path(Self.path("sk")), .greaterOrEqual, .number("3"))))
        #expect(select.orderBy.map(\.name) == ["sk"] && select.orderBy.map(\.descending) == [true])
    }

    @Test("A FROM-first UPDATE is an UPDATE")
    func fromFirstUpdate() throws {
        let parsed = try StatementParser.parse("FROM \"t\" WHERE pk = 'x' SET a = 1 REMOVE b RETURNING ALL NEW *")
        #expect(parsed.statement == .update(UpdateStatement(
            tableName: "t", clauses: [.set(Self.path("a"), .number("1")), .remove(Self.path("b"))],
            whereClause: .compare(.path(Self.path("pk")), .equal, .string("x")), returning: .allNew)))
    }

    @Test("Operator precedence: NOT binds tighter than AND, AND tighter than OR")
    func precedence() throws {
        let parsed = try StatementParser.parse("SELECT * FROM t WHERE NOT a = 1 AND b = 2 OR c = 3")
        guard case .select(let select) = parsed.statement else { return }
        let a = StatementExpression.compare(.path(Self.path("a")), .equal, .number("1"))
        let b = StatementExpression.compare(.path(Self.path("b")), .equal, .number("2"))
        let c = StatementExpression.compare(.path(Self.path("c")), .equal, .number("3"))
        #expect(select.whereClause == .or(.and(.not(a), b), c))
    }
}

@Suite("PartiQL values and conditions")
struct ValueBindingTests {
    static func bind(_ literal: String, parameters: [AttributeValue] = []) throws(DynamoError) -> AttributeValue {
        let parsed = try StatementParser.parse("INSERT INTO t VALUE {'v': \(literal)}")
        guard case .insert(let insert) = parsed.statement, let item = try ValueBinder(parameters: parameters).item(of: insert.value),
              let value = item["v"] else { throw DynamoError.validation("no value") }
        return value
    }

    static let literals: [(String, AttributeValue)] = [
        ("'it''s'", .s("it's")),
        ("-12.5e1", .n(DynamoNumber(-125))),
        (".5", .n(try! DynamoNumber(parsing: "0.5"))),
        ("true", .bool(true)),
        ("NULL", .null),
        ("[1, 'a', [true]]", .l([.n(DynamoNumber(1)), .s("a"), .l([.bool(true)])])),
        ("{'k': {'j': 1}}", .m(["k": .m(["j": .n(DynamoNumber(1))])])),
        ("<<'b', 'a'>>", .ss(["b", "a"])),
        ("<<1, 2>>", .ns([DynamoNumber(1), DynamoNumber(2)])),
        ("?", .bs([[1], [2]])),
    ]

    @Test("Literals of every type bind to their attribute values", arguments: literals)
    func literal(_ text: String, _ expected: AttributeValue) throws {
        #expect(try Self.bind(text, parameters: [.bs([[1], [2]])]) == expected)
    }

    static let refusedValues: [(String, String)] = [
        ("<<>>", "Empty bags are not supported"),
        ("<<'x', 'x'>>", "One or more parameter values were invalid: Input collection [x, x] contains duplicates."),
        ("<<'x', 1>>", "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"),
        ("1e126", "Number overflow. Attempting to store a number with magnitude larger than supported range under root"),
        ("[1, 1e-131]", "Number underflow. Attempting to store a number with magnitude smaller than supported range under root[1]"),
        ("{'a': 1, 'a': 2}", "Duplicate keys in tuple. Key: a under root"),
    ]

    @Test("Values DynamoDB cannot store are refused with its messages", arguments: refusedValues)
    func refusedValue(_ text: String, _ message: String) {
        #expect(throws: DynamoError.validation(message)) { try Self.bind(text) }
    }

    static func condition(_ whereClause: String, parameters: [AttributeValue] = []) throws(DynamoError) -> Condition {
        let parsed = try StatementParser.parse("SELECT * FROM t WHERE \(whereClause)")
        guard case .select(let select) = parsed.statement, let clause = select.whereClause else { throw DynamoError.validation("none") }
        return try ConditionTranslator(binder: ValueBinder(parameters: parameters)).condition(clause)
    }

    @Test("WHERE clauses evaluate as the equivalent condition expressions")
    func evaluation() throws {
        let item: Item = ["pk": .s("p"), "n": .n(DynamoNumber(5)), "tags": .ss(["a", "b"]), "flag": .bool(true),
                          "m": .m(["sub": .s("hello")]), "nul": .null]
        let truths: [(String, Bool)] = [
            ("n = 5 AND pk = 'p'", true),
            ("n BETWEEN 1 AND 4", false),
            ("n IN [1, 5]", true),
            ("NOT n IN [1, 5]", false),
            ("contains(tags, 'b')", true),
            ("begins_with(m.sub, 'hel')", true),
            ("size(tags) = 2", true),
            ("attribute_type(flag, 'BOOL')", true),
            ("absent IS MISSING AND n IS NOT MISSING", true),
            ("nul IS NULL AND n IS NOT NULL", true),
            ("flag IS BOOLEAN AND pk IS STRING AND n IS NUMERIC AND m IS STRUCT", true),
            ("attribute_exists(m.sub) = true", true),
            ("attribute_exists(m.nope) = true", false),
            ("attribute_not_exists(n) = false", true),
            ("absent <> 1", true),
        ]
        for (text, expected) in truths {
            #expect(Evaluator.evaluate(try Self.condition(text), on: item) == expected, "\(text)")
        }
    }

    static let refusedConditions: [(String, String)] = [
        ("attribute_exists('a')", "Operator or function requires a document path; operator or function: attribute_exists"),
        ("attribute_exists()", "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0"),
        ("attribute_exists(a, b)", "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"),
        ("EXISTS(a)", "Unrecognized function: exists at 1:23:6"),
        ("set_add(a, <<'x'>>) = a", "Unrecognized function: set_add at 1:23:7"),
        ("a < true", "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"),
        ("a BETWEEN NULL AND 1", "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: NULL"),
        ("a = MISSING", "MISSING must be compared using IS operator"),
        ("a IS DATE", "Unsupported data type for IS operator: DATE. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"),
    ]

    @Test("Conditions DynamoDB refuses get its messages", arguments: refusedConditions)
    func refusedCondition(_ text: String, _ message: String) {
        #expect(throws: DynamoError.validation(message)) { try Self.condition(text) }
    }
}

@Suite("PartiQL syntax errors")
struct SyntaxErrorTests {
    static let cases: [(String, String)] = [
        ("SELECT * FROM \"t\" WHERE", "Unexpected term"),
        ("SELECT * FROM \"t\" WHERE;", "Unexpected term"),
        ("SELECT * FROM \"t\" WHERE NOT", "Unexpected term"),
        ("SELECT * FROM \"t\" WHERE (", "Unexpected term"),
        ("UPDATE \"t\" SET a = 1 WHERE", "Unexpected term"),
        ("SELECT * FROM", "Unexpected term"),
        ("SELECT * FROM \"t\" WHERE pk = 'p1' AND", "Missing right-hand side expression of infix operator"),
        ("SELECT * FROM \"t\" WHERE pk = 'p1' OR", "Missing right-hand side expression of infix operator"),
        ("SELECT * FROM \"t\" WHERE ORDER BY pk", "Unexpected keyword"),
        ("SELECT * FROM \"t\" WHERE pk = 'a' AND x IS FOO", "Expected type name"),
        ("SELECT * FROM \"t\" WHERE IS NULL", "Unexpected operator"),
        ("SELECT * FROM \"t\" WHERE pk = LIKE", "Unexpected operator"),
        ("DELETE FROM", "Expected identifier for simple path"),
        ("DELETE FROM;", "Expected identifier for simple path"),
        ("DELETE FROM WHERE pk = 'a'", "Expected identifier for simple path"),
        ("FROM \"t\" SET c = 1 WHERE pk = 'x'", "Unexpected token after expression"),
    ]

    @Test("Incomplete statements are refused with the parser's detail", arguments: cases)
    func syntax(_ text: String, _ detail: String) {
        #expect(throws: DynamoError.validation("Statement wasn't well formed, can't be processed: \(detail)")) {
            try StatementParser.parse(text)
        }
    }

    @Test("A bare type test is refused as an unsupported operation", arguments: ["x IS INT4", "x IS INT8", "x IS DOUBLE PRECISION",
                                                                                  "x IS CHARACTER VARYING"])
    func bareTypeTest(_ text: String) {
        #expect(throws: DynamoError.validation("Unsupported operation: IsType")) { try StatementParser.parse(text) }
    }
}

@Suite("PartiQL nesting limits")
struct NestingTests {
    @Test("Deeply nested statements are refused, not parsed into a stack overflow")
    func deepStatements() {
        let nested = DynamoError.validation("Statement wasn't well formed, can't be processed: Expression nesting is too deep")
        let parentheses = String(repeating: "(", count: 5000) + "a = 1" + String(repeating: ")", count: 5000)
        #expect(throws: nested) { try StatementParser.parse("SELECT * FROM t WHERE \(parentheses)") }
        let nots = String(repeating: "NOT ", count: 2000)
        #expect(throws: nested) { try StatementParser.parse("SELECT * FROM t WHERE \(nots) a = 1") }
        let lists = String(repeating: "[", count: 3000) + String(repeating: "]", count: 3000)
        #expect(throws: nested) { try StatementParser.parse("INSERT INTO t VALUE {'pk': \(lists)}") }
    }

    @Test("Literals nest at most as deep as items may")
    func deepLiterals() throws {
        let lists = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let parsed = try StatementParser.parse("INSERT INTO t VALUE {'pk': 'x', 'l': \(lists)}")
        guard case .insert(let insert) = parsed.statement else { return }
        #expect(throws: DynamoError.validation("Nesting Levels have exceeded supported limits: Attributes in the item have "
                                               + "nested levels beyond supported limit")) {
            try ValueBinder(parameters: []).item(of: insert.value)
        }
    }
}
