import JSON

/// Writes a packed item (`BinaryWriter`'s encoding) as DynamoDB's JSON, byte for byte what serializing the decoded
/// item's `json` gives: `{"name":{"S":"text"},"n":{"N":"1"},...}`, numbers as their canonical text, binaries as
/// base64, names in the order the packed form keeps (sorted, for stored items).
///
/// Why: a GetItem, Query or Scan answer is mostly items. Decoding each into a dictionary of attribute values, then a
/// tree of JSON values, then bytes, cost a fifth of a GetItem's instructions and most of its allocations; this is
/// one pass and one array.
enum PackedItemJSON {
    /// The JSON object of the item encoded at `offset`, or nil when the bytes are not a well-formed packed item.
    static func object(_ packed: [UInt8], at offset: Int) -> [UInt8]? {
        packed.withUnsafeBufferPointer { buffer -> [UInt8]? in
            var cursor = Cursor(bytes: buffer, offset: offset)
            var output: [UInt8] = []
            output.reserveCapacity(buffer.count * 2)
            guard cursor.map(into: &output, depth: 0), cursor.offset == buffer.count else { return nil }
            return output
        }
    }

    /// Packed items nest at most as deep as DynamoDB allows; deeper bytes are malformed.
    private static let maximumDepth = 64

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset: Int

        mutating func u8() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func u32() -> Int? {
            guard offset + 4 <= bytes.count else { return nil }
            defer { offset += 4 }
            return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16
                | Int(bytes[offset + 3]) << 24
        }

        /// The next length-prefixed run of bytes.
        mutating func run() -> UnsafeBufferPointer<UInt8>? {
            guard let count = u32(), offset + count <= bytes.count else { return nil }
            defer { offset += count }
            return UnsafeBufferPointer(rebasing: bytes[offset..<(offset + count)])
        }

        /// `{"name":value,...}` from `u32 count · (string · value)*`.
        mutating func map(into output: inout [UInt8], depth: Int) -> Bool {
            guard depth < PackedItemJSON.maximumDepth, let count = u32() else { return false }
            output.append(UInt8(ascii: "{"))
            for index in 0..<count {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                guard let name = run() else { return false }
                JSONWriter.appendQuoted(name, to: &output)
                output.append(UInt8(ascii: ":"))
                guard value(into: &output, depth: depth + 1) else { return false }
            }
            output.append(UInt8(ascii: "}"))
            return true
        }

        /// `{"T":...}` for one tagged value.
        mutating func value(into output: inout [UInt8], depth: Int) -> Bool {
            guard let tag = u8() else { return false }
            switch tag {
            case 1: return tagged("S", into: &output) { $0.quoted(into: &$1) }
            case 2: return tagged("N", into: &output) { $0.quoted(into: &$1) }
            case 3: return tagged("B", into: &output) { $0.base64(into: &$1) }
            case 4:
                guard let flag = u8() else { return false }
                output.append(contentsOf: flag != 0 ? Self.trueBool : Self.falseBool)
                return true
            case 5:
                output.append(contentsOf: Self.nullTrue)
                return true
            case 6: return tagged("L", into: &output) { $0.list(into: &$1) { $0.value(into: &$1, depth: depth + 1) } }
            case 7: return tagged("M", into: &output) { $0.map(into: &$1, depth: depth + 1) }
            case 8: return tagged("SS", into: &output) { $0.list(into: &$1) { $0.quoted(into: &$1) } }
            case 9: return tagged("NS", into: &output) { $0.list(into: &$1) { $0.quoted(into: &$1) } }
            case 10: return tagged("BS", into: &output) { $0.list(into: &$1) { $0.base64(into: &$1) } }
            default: return false
            }
        }

        private static let trueBool = Array(#"{"BOOL":true}"#.utf8)
        private static let falseBool = Array(#"{"BOOL":false}"#.utf8)
        private static let nullTrue = Array(#"{"NULL":true}"#.utf8)

        private mutating func tagged(_ type: StaticString, into output: inout [UInt8],
                                     _ body: (inout Cursor, inout [UInt8]) -> Bool) -> Bool {
            output.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "\"")])
            output.append(contentsOf: UnsafeBufferPointer(start: type.utf8Start, count: type.utf8CodeUnitCount))
            output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            guard body(&self, &output) else { return false }
            output.append(UInt8(ascii: "}"))
            return true
        }

        /// `[e,...]` from `u32 count · element*`.
        private mutating func list(into output: inout [UInt8], _ element: (inout Cursor, inout [UInt8]) -> Bool) -> Bool {
            guard let count = u32() else { return false }
            output.append(UInt8(ascii: "["))
            for index in 0..<count {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                guard element(&self, &output) else { return false }
            }
            output.append(UInt8(ascii: "]"))
            return true
        }

        private mutating func quoted(into output: inout [UInt8]) -> Bool {
            guard let text = run() else { return false }
            JSONWriter.appendQuoted(text, to: &output)
            return true
        }

        private mutating func base64(into output: inout [UInt8]) -> Bool {
            guard let data = run() else { return false }
            output.append(UInt8(ascii: "\""))
            Base64.encode(data, into: &output)
            output.append(UInt8(ascii: "\""))
            return true
        }
    }
}
