/// Parses RFC 8259 JSON from bytes. TODO(json helper): implement.
package enum JSONParser {
    /// The deepest nesting of arrays and objects accepted; deeper input throws `.nestingTooDeep`.
    package static let maximumDepth = 64

    /// Parses one complete JSON document (surrounding whitespace allowed).
    package static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        throw JSONError(.unexpectedEndOfInput, at: 0)
    }
}
