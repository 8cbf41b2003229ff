/// Serializes JSON compactly (no whitespace), escaping as JSON requires. TODO(json helper): implement.
package struct JSONWriter {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8] = []

    package init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes a whole value.
    package mutating func write(_ value: JSONValue) {}

    /// Serializes a value into a fresh byte array.
    package static func serialize(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }
}
