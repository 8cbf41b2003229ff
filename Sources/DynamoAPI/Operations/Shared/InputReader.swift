import DynamoModel
import JSON

/// Reads an operation's input the way DynamoDB's front end does: first type checks (a wrong JSON type is a
/// `SerializationException`, thrown at once), then constraint checks, collected and reported together as
/// "N validation errors detected: …".
struct InputReader {
    let input: JSONObject
    private(set) var constraintViolations: [String] = []

    init(_ input: JSONObject) {
        self.input = input
    }

    // MARK: - Type checks

    /// The JSON type names DynamoDB's (Java) deserializer reports when it meets a value of the wrong type.
    static func tokenName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "VALUE_NULL"
        case .bool(true): return "TRUE_VALUE"
        case .bool(false): return "FALSE_VALUE"
        case .number: return "NUMBER_VALUE"
        case .string: return "STRING_VALUE"
        case .array: return "START_ARRAY"
        // Parsed input never holds an encoded value (only answers do).
        case .object, .encoded: return "START_OBJECT"
        }
    }

    /// The SerializationException for a scalar member of the wrong JSON type.
    static func typeMismatch(_ value: JSONValue, expected javaType: String) -> DynamoError {
        switch value {
        case .object:
            return DynamoError(.serialization, "Start of structure or map found where not expected.")
        case .array:
            return DynamoError(.serialization, "Unrecognized collection type class java.lang.\(javaType)")
        default:
            return DynamoError(.serialization, "\(tokenName(value)) cannot be converted to \(javaType)")
        }
    }

    /// A string member; nil when absent or JSON null.
    func string(_ key: String) throws(DynamoError) -> String? {
        try Self.string(input[key])
    }

    static func string(_ value: JSONValue?) throws(DynamoError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw typeMismatch(other, expected: "String")
        }
    }

    /// A boolean member; nil when absent or null.
    func boolean(_ key: String) throws(DynamoError) -> Bool? {
        switch input[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?: throw Self.typeMismatch(other, expected: "Boolean")
        }
    }

    /// An integer member (DynamoDB's Integer/Long); fractional parts are truncated as Java's parser does.
    func integer(_ key: String) throws(DynamoError) -> Int64? {
        try Self.integer(input[key], javaType: "Long")
    }

    static func integer(_ value: JSONValue?, javaType: String = "Long") throws(DynamoError) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .number(let text)?:
            if let whole = Int64(text) { return whole }
            if let real = Double(text), real.isFinite, abs(real) < 9.2e18 { return Int64(real) }
            throw DynamoError(.serialization, "NUMBER_VALUE cannot be converted to \(javaType)")
        case let other?: throw typeMismatch(other, expected: javaType)
        }
    }

    /// An object member; nil when absent or null.
    func object(_ key: String) throws(DynamoError) -> JSONObject? {
        try Self.object(input[key])
    }

    static func object(_ value: JSONValue?) throws(DynamoError) -> JSONObject? {
        switch value {
        case nil, .null?: return nil
        case .object(let members)?: return members
        case .array?: throw DynamoError(.serialization, "Start of list found where not expected")
        case .string?, .number?, .bool?, .encoded?:
            throw DynamoError(.serialization, "Unexpected field type")
        }
    }

    /// An array member; nil when absent or null.
    func array(_ key: String) throws(DynamoError) -> [JSONValue]? {
        try Self.array(input[key])
    }

    static func array(_ value: JSONValue?) throws(DynamoError) -> [JSONValue]? {
        switch value {
        case nil, .null?: return nil
        case .array(let elements)?: return elements
        case .object?: throw DynamoError(.serialization, "Start of structure or map found where not expected.")
        case .string?, .number?, .bool?, .encoded?:
            throw DynamoError(.serialization, "Unexpected field type")
        }
    }

    /// Kept for call sites that want an explicit end of the type-check phase.
    func checkTypes() throws(DynamoError) {}

    // MARK: - Constraint checks

    /// Records a violation unless `condition` holds. `value` is already rendered (nil renders as `null`).
    mutating func validate(_ condition: Bool, value: String?, at path: String, _ constraint: String) {
        guard !condition else { return }
        let rendered = value.map { "'\($0)'" } ?? "null"
        constraintViolations.append("Value \(rendered) at '\(path)' failed to satisfy constraint: \(constraint)")
    }

    /// Records a violation DynamoDB words freely (still counted in "N validation errors detected").
    mutating func addViolation(_ message: String) {
        constraintViolations.append(message)
    }

    /// Records "Member must not be null" when a required member is missing.
    mutating func require(_ present: Bool, at path: String) {
        validate(present, value: nil, at: path, "Member must not be null")
    }

    /// DynamoDB's table-name constraints (pattern, then length), each reported separately.
    mutating func validateTableName(_ name: String?, at path: String) {
        guard let name else {
            require(false, at: path)
            return
        }
        validate(TableNameRules.matchesPattern(name), value: name, at: path,
                 "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
        validate(name.utf8.count >= 3, value: name, at: path, "Member must have length greater than or equal to 3")
        validate(name.utf8.count <= 255, value: name, at: path, "Member must have length less than or equal to 255")
    }

    /// A `TableName` member that may also be a table ARN (botocore's `TableArn` shape, 1–1024 characters):
    /// an empty value fails only the length-1 constraint; an ARN is checked when resolved; anything else must be
    /// a valid table name.
    mutating func validateTableNameOrArn(_ name: String?, at path: String) {
        guard let name else {
            require(false, at: path)
            return
        }
        if name.isEmpty {
            validate(false, value: name, at: path, "Member must have length greater than or equal to 1")
        } else if name.hasPrefix("arn:") {
            validate(name.utf8.count <= 1024, value: name, at: path,
                     "Member must have length less than or equal to 1024")
        } else {
            validateTableName(name, at: path)
        }
    }

    /// A member restricted to an enumeration.
    mutating func validateEnum(_ value: String?, at path: String, allowed: [String]) {
        guard let value else { return }
        validate(allowed.contains(value), value: value, at: path,
                 "Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
    }

    /// An `IndexName` member: DynamoDB's pattern and 3–255 length.
    mutating func validateIndexName(_ indexName: String?) {
        guard let indexName else { return }
        validate(TableNameRules.matchesPattern(indexName), value: indexName, at: "indexName",
                 "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
        validate(indexName.utf8.count >= 3, value: indexName, at: "indexName",
                 "Member must have length greater than or equal to 3")
        validate(indexName.utf8.count <= 255, value: indexName, at: "indexName",
                 "Member must have length less than or equal to 255")
    }

    /// Throws the collected violations as one ValidationException, in DynamoDB's format.
    func throwValidationErrors() throws(DynamoError) {
        guard !constraintViolations.isEmpty else { return }
        let count = constraintViolations.count
        let noun = count == 1 ? "validation error" : "validation errors"
        throw .validation("\(count) \(noun) detected: " + constraintViolations.joined(separator: "; "))
    }
}

/// DynamoDB's table (and index) name rules.
enum TableNameRules {
    /// `[a-zA-Z0-9_.-]+`
    static func matchesPattern(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x2D
        }
    }
}
