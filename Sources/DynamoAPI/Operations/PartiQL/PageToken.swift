import DynamoModel
import JSON

/// ExecuteStatement's `NextToken`: where a SELECT stopped (which of its partitions, and the last key read), tied
/// to the statement and parameters it belongs to. Opaque to clients: base64 of a small JSON document.
struct PageToken {
    var partitionIndex: Int
    var lastKey: Item
    var fingerprint: String

    static let invalid = DynamoError.validation("Invalid NextToken")
    static let mismatch = DynamoError.validation("NextToken does not match request")

    /// A digest of the statement and its parameters (FNV-1a, 64 bits): a token only resumes the request it came from.
    static func fingerprint(statement: String, parameters: JSONValue?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var bytes = Array(statement.utf8)
        bytes.append(0)
        if let parameters { bytes.append(contentsOf: JSONWriter.serialize(parameters)) }
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    func encoded() -> String {
        let document = JSONValue.object(JSONObject([
            ("p", .number(String(partitionIndex))), ("k", lastKey.json), ("h", .string(fingerprint)),
        ]))
        return Base64.encode(JSONWriter.serialize(document))
    }

    /// Decodes a token, refusing one that is malformed or belongs to another request.
    static func decode(_ text: String, fingerprint: String) throws(DynamoError) -> PageToken {
        guard let bytes = Base64.decode(text), let document = try? JSONParser.parse(bytes),
              case .object(let object) = document, case .number(let index)? = object["p"], let partitionIndex = Int(index),
              partitionIndex >= 0, let keyJSON = object["k"], let lastKey = try? Item.decode(json: keyJSON),
              case .string(let digest)? = object["h"] else {
            throw invalid
        }
        guard digest == fingerprint else { throw mismatch }
        return PageToken(partitionIndex: partitionIndex, lastKey: lastKey, fingerprint: digest)
    }
}
