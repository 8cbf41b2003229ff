import DynamoModel
import JSON
import Testing
@testable import DynamoAPI

@Suite("Input reading and validation messages")
struct InputReaderTests {
    @Test("A wrong JSON type is a SerializationException worded like DynamoDB's deserializer")
    func typeMismatchMessages() {
        #expect(InputReader.typeMismatch(.number("1"), expected: "String")
            == DynamoError(.serialization, "NUMBER_VALUE cannot be converted to String"))
        #expect(InputReader.typeMismatch(.bool(true), expected: "Long")
            == DynamoError(.serialization, "TRUE_VALUE cannot be converted to Long"))
        #expect(InputReader.typeMismatch(.object(JSONObject()), expected: "String")
            == DynamoError(.serialization, "Start of structure or map found where not expected."))
    }

    @Test("One violation is reported as '1 validation error detected'")
    func oneViolation() {
        var reader = InputReader(JSONObject())
        reader.validateTableName(nil, at: "tableName")
        #expect(throws: DynamoError.validation(
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")) {
            try reader.throwValidationErrors()
        }
    }

    @Test("Several violations are joined in order with their count")
    func severalViolations() {
        var reader = InputReader(JSONObject())
        reader.validateTableName("a!", at: "tableName")
        let expected = "2 validation errors detected: "
            + "Value 'a!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
            + "Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"
        #expect(throws: DynamoError.validation(expected)) { try reader.throwValidationErrors() }
    }

    @Test("An empty TableName fails only the length-1 constraint of the TableArn shape")
    func emptyTableName() {
        var reader = InputReader(JSONObject())
        reader.validateTableNameOrArn("", at: "tableName")
        #expect(throws: DynamoError.validation("1 validation error detected: Value '' at 'tableName' failed to satisfy "
            + "constraint: Member must have length greater than or equal to 1")) { try reader.throwValidationErrors() }
    }

    @Test("A table ARN names the table after the slash")
    func tableNameFromArn() {
        #expect(TableLookup.tableName(from: "arn:aws:dynamodb:us-east-1:123456789012:table/Music") == "Music")
        #expect(TableLookup.tableName(from: "Music") == "Music")
    }
}

@Suite("Description helpers")
struct DescriptionHelperTests {
    @Test("Timestamps are epoch seconds with at most millisecond precision")
    func timestamps() {
        #expect(TableDescriptionWriter.timestamp(1_700_000_000) == "1700000000")
        #expect(TableDescriptionWriter.timestamp(1_700_000_000.5) == "1700000000.5")
        #expect(TableDescriptionWriter.timestamp(1_700_000_000.123_4) == "1700000000.123")
    }

    @Test("Table ids are version-4 UUIDs")
    func tableIds() {
        let id = Identifiers.uuid()
        let parts = id.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "4")
        #expect(Identifiers.uuid() != id)
    }
}
