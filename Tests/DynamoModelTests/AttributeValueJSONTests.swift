import JSON
import Testing
@testable import DynamoModel

@Suite("Attribute values in DynamoDB's JSON")
struct AttributeValueJSONTests {
    func decode(_ text: String) throws -> AttributeValue {
        try AttributeValue(json: JSONParser.parse(Array(text.utf8)))
    }

    @Test("All ten types decode and encode back")
    func roundTrip() throws {
        let documents = [#"{"S":"x"}"#, #"{"N":"1.5"}"#, #"{"B":"AAE="}"#, #"{"BOOL":true}"#, #"{"NULL":true}"#,
                         #"{"L":[{"S":"a"},{"N":"1"}]}"#, #"{"M":{"a":{"M":{}},"b":{"L":[]}}}"#, #"{"SS":["a","b"]}"#,
                         #"{"NS":["1","2"]}"#, #"{"BS":["AA==","AQ=="]}"#]
        for document in documents {
            let value = try decode(document)
            #expect(String(decoding: JSONWriter.serialize(value.json), as: UTF8.self) == document)
        }
    }

    static let invalid: [(String, DynamoError)] = [
        (#"{}"#, .validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")),
        (#"{"X":"1"}"#, .validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")),
        (#"{"S":"a","N":"1"}"#, .validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")),
        (#"{"NULL":false}"#, .validation("One or more parameter values were invalid: Null attribute value types must have the value of true")),
        (#"{"SS":[]}"#, .validation("One or more parameter values were invalid: An string set  may not be empty")),
        (#"{"NS":[]}"#, .validation("One or more parameter values were invalid: An number set  may not be empty")),
        (#"{"BS":[]}"#, .validation("One or more parameter values were invalid: Binary sets should not be empty")),
        (#"{"SS":["a","a"]}"#, .validation("One or more parameter values were invalid: Input collection [a, a] contains duplicates.")),
        (#"{"S":5}"#, DynamoError(.serialization, "NUMBER_VALUE cannot be converted to String")),
        (#"{"BOOL":"x"}"#, DynamoError(.serialization, "STRING_VALUE cannot be converted to Boolean")),
        (#"{"S":{}}"#, DynamoError(.serialization, "Start of structure or map found where not expected.")),
    ]

    @Test("Invalid attribute values fail with DynamoDB's errors", arguments: invalid)
    func invalidValues(_ document: String, _ error: DynamoError) {
        #expect(throws: error) { try decode(document) }
    }

    @Test("Nesting beyond 32 levels is refused")
    func nesting() {
        let deep = String(repeating: #"{"L":["#, count: 33) + #"{"S":"x"}"# + String(repeating: "]}", count: 33)
        #expect(throws: DynamoError.validation("Nesting Levels have exceeded supported limits")) { try decode(deep) }
        let fine = String(repeating: #"{"L":["#, count: 31) + #"{"S":"x"}"# + String(repeating: "]}", count: 31)
        #expect((try? decode(fine)) != nil)
    }
}

@Suite("Key validation")
struct KeyValidationTests {
    let schema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s), sortKey: KeyAttribute(name: "sk", type: .n))

    @Test("PutItem's messages name the key")
    func putItemMessages() {
        #expect(throws: DynamoError.validation("One or more parameter values were invalid: Missing the key sk in the item")) {
            try schema.encodedKey(of: ["pk": .s("a")], source: .putItem)
        }
        #expect(throws: DynamoError.validation("One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S")) {
            try schema.encodedKey(of: ["pk": .s("a"), "sk": .s("1")], source: .putItem)
        }
        #expect(throws: DynamoError.validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk")) {
            try schema.encodedKey(of: ["pk": .s(""), "sk": .n(.zero)], source: .putItem)
        }
    }

    @Test("Keys larger than DynamoDB's limits are refused")
    func keySizeLimits() throws {
        let long = String(repeating: "k", count: 2049)
        #expect(throws: DynamoError.validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes")) {
            try schema.encodedKey(of: ["pk": .s(long), "sk": .n(.zero)], source: .putItem)
        }
        let sortSchema = KeySchema(partitionKey: KeyAttribute(name: "pk", type: .s), sortKey: KeyAttribute(name: "sk", type: .s))
        #expect(throws: DynamoError.validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")) {
            try sortSchema.encodedKey(of: ["pk": .s("a"), "sk": .s(String(repeating: "s", count: 1025))], source: .putItem)
        }
        _ = try sortSchema.encodedKey(of: ["pk": .s(String(repeating: "k", count: 2048)), "sk": .s(String(repeating: "s", count: 1024))],
                                      source: .putItem)
    }

    @Test("Key maps must match the schema exactly")
    func keyMaps() throws {
        let mismatch = DynamoError.validation("The provided key element does not match the schema")
        #expect(throws: mismatch) { try schema.encodedKey(of: ["pk": .s("a")], source: .keyMap, exactKeyMap: true) }
        #expect(throws: mismatch) {
            try schema.encodedKey(of: ["pk": .s("a"), "sk": .n(.zero), "x": .null], source: .keyMap, exactKeyMap: true)
        }
        let key = try schema.encodedKey(of: ["pk": .s("a"), "sk": .n(.zero)], source: .keyMap, exactKeyMap: true)
        #expect(key == EncodedKey(partition: Array("a".utf8), sort: [0x02]))
    }
}
