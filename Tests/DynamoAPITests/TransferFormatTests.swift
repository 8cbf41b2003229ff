import DynamoModel
import JSON
import Storage
import Testing
@testable import DynamoAPI

@Suite("Export and import formats: DynamoDB JSON, Ion text, CSV, manifests")
struct TransferFormatTests {
    static func reader(_ format: String, csv: CSVOptions? = nil) -> ImportReader {
        ImportReader(format: format, csv: csv, attributeTypes: ["pk": .s, "sk": .n, "b": .b])
    }

    static func collect(_ reader: ImportReader, _ text: String) -> (items: [Item], errors: [ImportLineError]) {
        var items: [Item] = []
        var errors: [ImportLineError] = []
        reader.items(in: Array(text.utf8)) { result in
            switch result {
            case .success(let item): items.append(item)
            case .failure(let error): errors.append(error)
            }
        }
        return (items, errors)
    }

    @Test func test_dynamodb_json_lines_become_items_and_bad_lines_are_reported_with_their_numbers() {
        let text = """
        {"Item":{"pk":{"S":"a"},"n":{"N":"1.50"}}}
        not json

        {"Other":{}}
        {"Item":{"pk":{"Q":"x"}}}
        {"Item":{"pk":{"S":"b"}}}\r
        """
        let (items, errors) = Self.collect(Self.reader("DYNAMODB_JSON"), text)
        #expect(items.count == 2)
        #expect(items.first?["n"] == .n(DynamoNumber(parsingOrZero: "1.5")))
        #expect(errors.map(\.line) == [2, 4, 5])
    }

    @Test func test_csv_lines_type_key_attributes_and_keep_quoted_delimiters() {
        let text = "pk,sk,note\n\"a,1\",7,\"say \"\"hi\"\"\"\nb,notanumber,x\nc,8,\n"
        let (items, errors) = Self.collect(Self.reader("CSV"), text)
        #expect(items.count == 2)
        #expect(items[0]["pk"] == .s("a,1"))
        #expect(items[0]["sk"] == .n(DynamoNumber(7)))
        #expect(items[0]["note"] == .s("say \"hi\""))
        #expect(items[1]["note"] == nil)
        #expect(errors.map(\.line) == [3])
    }

    @Test func test_csv_header_list_and_delimiter_options_are_used() {
        let (items, _) = Self.collect(Self.reader("CSV", csv: CSVOptions(delimiter: UInt8(ascii: ";"), headers: ["pk", "v"])), "a;1\nb;2\n")
        #expect(items.map { $0["v"] } == [.s("1"), .s("2")])
    }

    @Test func test_ion_text_writes_every_type_as_dynamodb_exports_do() {
        let item: Item = [
            "s": .s("x\"y"), "n": .n(DynamoNumber(parsingOrZero: "-1.25")), "b": .b([0, 255]), "bool": .bool(false),
            "null": .null, "l": .l([.n(DynamoNumber(100))]), "m": .m(["k": .s("v")]), "ss": .ss(["a"]),
            "ns": .ns([DynamoNumber(0)]), "bs": .bs([[1]]), "two words": .s("w"),
        ]
        let text = String(decoding: IonText.item(item), as: UTF8.self)
        #expect(text == #"{b:{{AP8=}},bool:false,bs:$dynamodb_BS::[{{AQ==}}],l:[1d2],m:{k:"v"},n:-125d-2,ns:$dynamodb_NS::[0d0],"#
            + #""null":null,s:"x\"y",ss:$dynamodb_SS::["a"],"two words":"w"}"#)
    }

    @Test func test_ion_lines_read_back_exactly_what_ion_exports_write() throws {
        let item: Item = [
            "pk": .s("line\nbreak \"quoted\" ünïcödé 😀"), "n": .n(DynamoNumber(parsingOrZero: "-1.25E-100")),
            "big": .n(DynamoNumber(parsingOrZero: "9.99E+125")), "b": .b([0, 1, 255]), "bool": .bool(true), "null": .null,
            "l": .l([.s("a"), .n(DynamoNumber(0)), .l([])]), "m": .m(["nested": .m(["deep": .ss(["x", "y"])]), "two words": .null]),
            "ss": .ss(["one", "two"]), "ns": .ns([DynamoNumber(1), DynamoNumber(parsingOrZero: "2.5")]), "bs": .bs([[1], [2, 3]]),
        ]
        let line = IonText.line(ExportWriter.Line(keys: [:], newImage: item, oldImage: nil, writeTime: nil), incremental: false)
        #expect(try IonReader.item(line[...]) == item)
    }

    @Test func test_ion_reader_accepts_the_other_ion_spellings_dynamodb_uses() throws {
        let line = #"$ion_1_0 {Item:{'quoted field':'''long ''' '''string''', n:103., f:1.5e0, d:15d-1, i:-7, t:null.string}}"#
        let item = try IonReader.item(Array(line.utf8)[...])
        #expect(item["quoted field"] == .s("long string"))
        #expect(item["n"] == .n(DynamoNumber(103)))
        #expect(item["f"] == .n(DynamoNumber(parsingOrZero: "1.5")))
        #expect(item["d"] == .n(DynamoNumber(parsingOrZero: "1.5")))
        #expect(item["i"] == .n(DynamoNumber(-7)))
        #expect(item["t"] == .null)
        #expect(throws: IonReader.Malformed.self) { try IonReader.item(Array("{Item:{a:}}".utf8)[...]) }
        #expect(throws: IonReader.Malformed.self) { try IonReader.item(Array("{Other:{}}".utf8)[...]) }
    }

    @Test func test_export_times_are_iso_8601_with_milliseconds() {
        #expect(ExportWriter.isoTime(0) == "1970-01-01T00:00:00.000Z")
        #expect(ExportWriter.isoTime(1_604_474_914.028) == "2020-11-04T07:28:34.028Z")
        #expect(ExportWriter.isoTime(951_782_400) == "2000-02-29T00:00:00.000Z")
    }

    @Test func test_page_tokens_round_trip_and_are_long_enough_for_list_imports() {
        let arn = "arn:aws:dynamodb:us-east-1:123456789012:table/abc/import/01658528578619-c4d4e311"
        let token = TransferRegistry.token(after: arn)
        #expect(token.count >= 112)
        #expect(TransferRegistry.arn(fromToken: token) == arn)
        #expect(TransferRegistry.arn(fromToken: "zz") == nil)
    }

    @Test func test_buckets_and_keys_never_leave_the_exports_root() throws {
        #expect(!LocalObjectStore.isSafe(bucket: ".."))
        #expect(!LocalObjectStore.isSafe(bucket: "a/b"))
        #expect(!LocalObjectStore.isSafe(key: "data/../../../etc/passwd"))
        #expect(!LocalObjectStore.isSafe(key: "/etc/passwd"))
        #expect(LocalObjectStore.isSafe(key: "exports/AWSDynamoDB/1/data/x.json.gz"))
        let store = LocalObjectStore(root: "/tmp/swiftdynamo-unsafe-test")
        #expect(throws: FileSystemError.self) { try store.put(bucket: "..", key: "x", [1]) }
        #expect(throws: FileSystemError.self) { try store.put(bucket: "b", key: "../../x", [1]) }
        #expect(store.keys(bucket: "..", prefix: "").isEmpty)
        #expect(!store.bucketExists(".."))
    }

    @Test func test_gzip_round_trips_and_md5_matches_known_digests() {
        let bytes = Array(String(repeating: "swiftdynamo ", count: 1000).utf8)
        let compressed = LocalObjectStore.gzip(bytes)
        #expect(compressed.count < bytes.count)
        #expect(LocalObjectStore.gunzip(compressed) == bytes)
        #expect(LocalObjectStore.gunzip(compressed + compressed) == bytes + bytes)
        #expect(LocalObjectStore.gunzip(Array("not gzip".utf8)) == nil)
        #expect(LocalObjectStore.md5Hex([]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(LocalObjectStore.md5Base64([]) == "1B2M2Y8AsgTpgAmY7PhCfg==")
    }
}

extension DynamoNumber {
    /// A test literal (zero when it does not parse).
    init(parsingOrZero text: String) {
        self = (try? DynamoNumber(parsing: text)) ?? .zero
    }
}
