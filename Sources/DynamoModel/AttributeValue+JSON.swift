import JSON

/// Conversion between DynamoDB's JSON attribute-value form (`{"S": "x"}`) and `AttributeValue`, with DynamoDB's
/// validation messages.
extension AttributeValue {
    /// DynamoDB refuses documents nested deeper than this.
    package static let maximumNestingDepth = 32

    /// Decodes `{"S": "..."}` etc.
    package init(json: JSONValue) throws(DynamoError) {
        try self.init(json: json, depth: 1)
    }

    init(json: JSONValue, depth: Int) throws(DynamoError) {
        guard case .object(let object) = json else { throw Self.wrongContainer(json) }
        if depth > Self.maximumNestingDepth {
            throw .validation("Nesting Levels have exceeded supported limits")
        }
        var found: AttributeValue?
        var count = 0
        for member in object.members {
            if case .null = member.value { continue }
            let value: AttributeValue
            switch member.key {
            case "S": value = .s(try Self.string(member.value))
            case "N": value = .n(try DynamoNumber(parsing: Self.string(member.value)))
            case "B": value = .b(try Self.binary(member.value))
            case "BOOL": value = .bool(try Self.boolean(member.value))
            case "NULL":
                guard try Self.boolean(member.value) else {
                    throw .validation("One or more parameter values were invalid: Null attribute value types must have the value of true")
                }
                value = .null
            case "L":
                var elements: [AttributeValue] = []
                for element in try Self.list(member.value) {
                    elements.append(try AttributeValue(json: element, depth: depth + 1))
                }
                value = .l(elements)
            case "M":
                guard case .object(let map) = member.value else { throw Self.wrongContainer(member.value) }
                var entries: [String: AttributeValue] = [:]
                entries.reserveCapacity(map.count)
                for entry in map.members {
                    entries[entry.key] = try AttributeValue(json: entry.value, depth: depth + 1)
                }
                value = .m(entries)
            case "SS":
                var strings: [String] = []
                for element in try Self.list(member.value) { strings.append(try Self.string(element)) }
                value = .ss(strings)
            case "NS":
                var numbers: [DynamoNumber] = []
                for element in try Self.list(member.value) { numbers.append(try DynamoNumber(parsing: Self.string(element))) }
                value = .ns(numbers)
            case "BS":
                var binaries: [[UInt8]] = []
                for element in try Self.list(member.value) { binaries.append(try Self.binary(element)) }
                value = .bs(binaries)
            default:
                // DynamoDB ignores members it does not know.
                continue
            }
            found = value
            count += 1
        }
        guard let found else {
            throw .validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
        }
        if count > 1 {
            throw .validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
        }
        try found.checkSet()
        self = found
    }

    /// Sets may not be empty or hold duplicates.
    private func checkSet() throws(DynamoError) {
        switch self {
        case .ss(let strings):
            if strings.isEmpty { throw .validation("One or more parameter values were invalid: An string set  may not be empty") }
            if Set(strings).count != strings.count {
                throw .validation("One or more parameter values were invalid: Input collection [\(strings.joined(separator: ", "))] contains duplicates.")
            }
        case .ns(let numbers):
            if numbers.isEmpty { throw .validation("One or more parameter values were invalid: An number set  may not be empty") }
            if Set(numbers).count != numbers.count {
                throw .validation("One or more parameter values were invalid: Input collection [\(numbers.map(\.canonicalText).joined(separator: ", "))] contains duplicates.")
            }
        case .bs(let binaries):
            if binaries.isEmpty { throw .validation("One or more parameter values were invalid: Binary sets should not be empty") }
            if Set(binaries).count != binaries.count {
                throw .validation("One or more parameter values were invalid: Input collection [\(binaries.map(Base64.encode).joined(separator: ", "))]of type BS contains duplicates.")
            }
        default:
            break
        }
    }

    private static func wrongContainer(_ value: JSONValue) -> DynamoError {
        switch value {
        case .array: return DynamoError(.serialization, "Start of list found where not expected")
        default: return DynamoError(.serialization, "Unexpected field type")
        }
    }

    private static func string(_ value: JSONValue) throws(DynamoError) -> String {
        switch value {
        case .string(let text): return text
        case .object: throw DynamoError.serializationStructureNotExpected
        case .array: throw DynamoError(.serialization, "Unrecognized collection type class java.lang.String")
        default: throw DynamoError(.serialization, "\(tokenName(value)) cannot be converted to String")
        }
    }

    private static func boolean(_ value: JSONValue) throws(DynamoError) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .object: throw DynamoError.serializationStructureNotExpected
        case .array: throw DynamoError(.serialization, "Unrecognized collection type class java.lang.Boolean")
        default: throw DynamoError(.serialization, "\(tokenName(value)) cannot be converted to Boolean")
        }
    }

    private static func binary(_ value: JSONValue) throws(DynamoError) -> [UInt8] {
        switch value {
        case .string(let text):
            guard let bytes = Base64.decode(text) else {
                throw DynamoError(.serialization, "Base64 encoded binary data is invalid: \(text)")
            }
            return bytes
        case .object: throw DynamoError.serializationStructureNotExpected
        case .array: throw DynamoError(.serialization, "Unrecognized collection type class java.nio.ByteBuffer")
        default: throw DynamoError(.serialization, "\(tokenName(value)) cannot be converted to Blob")
        }
    }

    private static func list(_ value: JSONValue) throws(DynamoError) -> [JSONValue] {
        switch value {
        case .array(let elements): return elements
        case .object: throw DynamoError.serializationStructureNotExpected
        default: throw DynamoError(.serialization, "Unexpected field type")
        }
    }

    private static func tokenName(_ value: JSONValue) -> String {
        switch value {
        case .bool(true): return "TRUE_VALUE"
        case .bool(false): return "FALSE_VALUE"
        case .number: return "NUMBER_VALUE"
        case .string: return "STRING_VALUE"
        default: return "VALUE_NULL"
        }
    }

    /// The JSON form DynamoDB returns (numbers in canonical text, binaries base64, map keys sorted).
    package var json: JSONValue {
        switch self {
        case .s(let text): return Self.tagged("S", .string(text))
        case .n(let number): return Self.tagged("N", .string(number.canonicalText))
        case .b(let bytes): return Self.tagged("B", .string(Base64.encode(bytes)))
        case .bool(let flag): return Self.tagged("BOOL", .bool(flag))
        case .null: return Self.tagged("NULL", .bool(true))
        case .l(let elements): return Self.tagged("L", .array(elements.map(\.json)))
        case .m(let entries): return Self.tagged("M", entries.json)
        case .ss(let strings): return Self.tagged("SS", .array(strings.map { .string($0) }))
        case .ns(let numbers): return Self.tagged("NS", .array(numbers.map { .string($0.canonicalText) }))
        case .bs(let binaries): return Self.tagged("BS", .array(binaries.map { .string(Base64.encode($0)) }))
        }
    }

    private static func tagged(_ type: String, _ value: JSONValue) -> JSONValue {
        .object(JSONObject([(type, value)]))
    }
}

extension DynamoError {
    static let serializationStructureNotExpected = DynamoError(.serialization, "Start of structure or map found where not expected.")
}

extension Item {
    /// Decodes an item map (`{"name": {"S": "x"}, ...}`).
    package static func decode(json: JSONValue) throws(DynamoError) -> Item {
        guard case .object(let object) = json else {
            if case .array = json { throw DynamoError(.serialization, "Start of list found where not expected") }
            throw DynamoError(.serialization, "Unexpected field type")
        }
        var item: Item = [:]
        item.reserveCapacity(object.count)
        for member in object.members {
            item[member.key] = try AttributeValue(json: member.value)
        }
        return item
    }

    /// The JSON object for an item, attribute names sorted for stable output.
    package var json: JSONValue {
        .object(JSONObject(keys.sorted().map { name in (name, self[name]?.json ?? .null) }))
    }
}
