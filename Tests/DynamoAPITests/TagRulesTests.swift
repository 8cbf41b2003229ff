import DynamoModel
import Testing
@testable import DynamoAPI

/// DynamoDB's tag rules as data: each tag → the exact refusal, or nil when DynamoDB keeps it.
@Suite("Tag rules")
struct TagRulesTests {
    static func long(_ letter: String, _ count: Int) -> String { String(repeating: letter, count: count) }

    static let cases: [(key: String?, value: String?, refusal: String?)] = [
        ("team", "data", nil),
        ("x" + String(repeating: "y", count: 127), "", nil),
        (long("א", 128), long("表", 256), nil),
        ("законные буквы", "ѮѮ Ѯ", nil),
        ("a b", "a+b-c=d.e_f:g/h@i", nil),
        ("\u{00A0}nbsp\u{3000}ideographic", "café ٣", nil),
        ("myaws:key", "v", nil),
        (long("k", 129), "v", "The Tag Key provided is invalid, Key: " + long("k", 129)),
        (long("א", 129), "v", "The Tag Key provided is invalid, Key: " + long("א", 129)),
        ("k", long("v", 257), "The Tag Value provided is invalid, Value: " + long("v", 257)),
        ("", "v", "The Tag Key provided is invalid, Key: "),
        (nil, "v", "The Tag Key provided is invalid, Key: null"),
        ("k", nil, "The Tag Value provided is invalid, Value: null"),
        ("hi!", "v", "The Tag Key provided is invalid, Key: hi!"),
        ("k", "100%", "The Tag Value provided is invalid, Value: 100%"),
        ("k", "a,b", "The Tag Value provided is invalid, Value: a,b"),
        ("🔑", "v", "The Tag Key provided is invalid, Key: 🔑"),
        ("e\u{0301}", "v", "The Tag Key provided is invalid, Key: e\u{0301}"),
        ("aws:owner", "v", "Tag Key cannot be prefixed with aws:, Key: aws:owner"),
        ("AwS:owner", "v", "Tag Key cannot be prefixed with aws:, Key: AwS:owner"),
        // The key is judged before the value.
        ("bad#", "bad#", "The Tag Key provided is invalid, Key: bad#"),
    ]

    @Test("Each tag is kept or refused with DynamoDB's message", arguments: cases)
    func test_each_tag(_ tag: (key: String?, value: String?, refusal: String?)) {
        let requested = [TagRules.Requested(key: tag.key, value: tag.value)]
        if let refusal = tag.refusal {
            #expect(throws: DynamoError.validation(refusal)) { try TagRules.check(requested) }
        } else {
            #expect((try? TagRules.check(requested))?.map(\.key) == [tag.key ?? ""])
        }
    }

    @Test("A key given twice in one request is refused")
    func test_duplicate_keys() {
        let requested = [TagRules.Requested(key: "dup", value: "1"), TagRules.Requested(key: "dup", value: "2")]
        #expect(throws: DynamoError.validation("Duplicate Tag Keys provided as input: Duplicate Tag Key found dup")) {
            try TagRules.check(requested)
        }
    }

    @Test("The limit counts the tags a table would have after the change")
    func test_limit_after_merge() throws {
        let existing = (0..<50).map { (key: "k\($0)", value: "v") }
        let renamed = try TagRules.merge([(key: "k0", value: "new")], into: existing)
        #expect(renamed.count == 50 && renamed[0].value == "new")
        #expect(throws: TagRules.tooManyTags) { try TagRules.merge([(key: "k50", value: "v")], into: existing) }
    }

    @Test("CreateTable takes no tags or fifty, and refuses fifty-one")
    func test_create_table_tags() throws {
        #expect(try TagRules.forCreateTable(nil).isEmpty)
        #expect(try TagRules.forCreateTable([]).isEmpty)
        let fifty = (0..<50).map { TagRules.Requested(key: "k\($0)", value: "v") }
        #expect(try TagRules.forCreateTable(fifty).count == 50)
        #expect(throws: TagRules.tooManyTags) {
            try TagRules.forCreateTable(fifty + [TagRules.Requested(key: "k50", value: "v")])
        }
    }
}

/// Which ARNs a tagging operation accepts, and DynamoDB's answer to the others.
@Suite("Tagging ARNs")
struct TaggingArnTests {
    static let table = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"
    static let global = "arn:aws:dynamodb:us-east-1:123456789012:global-table/orders"
    static let prefix = "One or more parameter values were invalid: "

    static let refusals: [(arn: String, error: DynamoError)] = [
        ("orders", .validation(prefix + "ARNs must start with 'arn:': orders")),
        (" ", .validation(prefix + "ARNs must start with 'arn:':  ")),
        ("arn:not/a/good/format", TaggingArn.accessDenied),
        ("arn:aws:sqs:us-east-1:123456789012:queue", TaggingArn.accessDenied),
        (table + "/index/gsi", .validation(prefix + "Invalid resource arn provided, only table or stream is accepted. "
            + "Provided resource arn: \(table)/index/gsi")),
        (table + "/backup/01700000000000-abcdef12",
         .validation(prefix + "Provided Arn is not a DynamoDB resource arn: \(table)/backup/01700000000000-abcdef12")),
        (global, .validation(prefix + "Provided Arn is not a DynamoDB resource arn: \(global)")),
        ("arn:aws:dynamodb:us-east-1:999999999999:table/orders", TaggingArn.accessDenied),
        (table.replacing("us-east-1", with: "eu-west-1"), .validation("Invalid TableArn: Invalid ResourceArn provided "
            + "as input \(table.replacing("us-east-1", with: "eu-west-1"))")),
    ]

    @Test("Malformed, foreign and non-table ARNs are refused as DynamoDB refuses them", arguments: refusals)
    func test_refusals(_ refusal: (arn: String, error: DynamoError)) {
        #expect(throws: refusal.error) {
            try TaggingArn.resolve(refusal.arn, region: "us-east-1", accountId: "123456789012")
        }
    }

    @Test("Table and stream ARNs of the caller's region and account are accepted")
    func test_accepted() throws {
        let named = try TaggingArn.resolve(Self.table, region: "us-east-1", accountId: "123456789012")
        #expect(named == .table(name: "orders"))
        #expect(try TaggingArn.resolve(Self.table + "/stream/2026-12-04T21:00:00.000", region: "us-east-1",
                                       accountId: "123456789012") == .stream)
    }
}
