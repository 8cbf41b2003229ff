/// A parsed JSON document. Numbers keep their source text so that DynamoDB numbers (38 digits) lose nothing.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written in the document (validated JSON number grammar).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
    /// A value already serialized (compact JSON), written out as is. Only responses carry it: a stored item goes
    /// from its packed form straight to these bytes, without a tree of values in between.
    case encoded([UInt8])
}

/// A JSON object: its members in document order. Lookups are linear; DynamoDB requests have few keys per object.
package struct JSONObject: Sendable, Equatable {
    /// Members in document order. A key that appears twice keeps both entries; `subscript` returns the last.
    package var members: [(key: String, value: JSONValue)]

    package init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    package subscript(key: String) -> JSONValue? {
        for member in members.reversed() where member.key == key {
            return member.value
        }
        return nil
    }

    package var count: Int { members.count }
    package var isEmpty: Bool { members.isEmpty }

    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (l, r) in zip(lhs.members, rhs.members) where l.key != r.key || l.value != r.value {
            return false
        }
        return true
    }
}
