import DynamoModel

/// Little-endian binary writing and reading for the WAL and snapshot formats.
///
/// value := tag: u8 · payload
///   S 1: string | N 2: string (canonical text) | B 3: bytes | BOOL 4: u8 | NULL 5: — | L 6: u32 count · value*
///   M 7: u32 count · (string · value)* | SS 8: u32 count · string* | NS 9: u32 count · string* | BS 10: u32 count · bytes*
/// string := bytes (UTF-8) ; bytes := u32 length · u8[length] ; item := u32 count · (string · value)*
struct BinaryWriter {
    var bytes: [UInt8] = []
    /// Writes map members in attribute-name order (stored items: `PackedItemJSON` then writes them in DynamoDB's
    /// stable response order without sorting).
    var sortsNames = false

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func f64(_ value: Double) { u64(value.bitPattern) }

    mutating func bool(_ value: Bool) { u8(value ? 1 : 0) }

    mutating func data(_ value: [UInt8]) {
        u32(UInt32(truncatingIfNeeded: value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ value: String) {
        u32(UInt32(truncatingIfNeeded: value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func item(_ item: Item) {
        u32(UInt32(item.count))
        if sortsNames {
            for name in item.keys.sorted() {
                string(name)
                if let value = item[name] { self.value(value) }
            }
            return
        }
        for (name, value) in item {
            string(name)
            self.value(value)
        }
    }

    mutating func value(_ value: AttributeValue) {
        switch value {
        case .s(let text): u8(1); string(text)
        case .n(let number): u8(2); string(number.canonicalText)
        case .b(let data): u8(3); self.data(data)
        case .bool(let flag): u8(4); bool(flag)
        case .null: u8(5)
        case .l(let list):
            u8(6); u32(UInt32(list.count))
            for element in list { self.value(element) }
        case .m(let map):
            u8(7)
            item(map)
        case .ss(let strings):
            u8(8); u32(UInt32(strings.count))
            for text in strings { string(text) }
        case .ns(let numbers):
            u8(9); u32(UInt32(numbers.count))
            for number in numbers { string(number.canonicalText) }
        case .bs(let binaries):
            u8(10); u32(UInt32(binaries.count))
            for binary in binaries { data(binary) }
        }
    }
}

/// Reads what `BinaryWriter` wrote; every read is bounds-checked and throws on malformed input.
struct BinaryReader {
    struct Malformed: Error {}

    let bytes: [UInt8]
    var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func take(_ count: Int) throws(Malformed) -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else { throw Malformed() }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func u8() throws(Malformed) -> UInt8 { try take(1).first ?? 0 }

    mutating func u32() throws(Malformed) -> UInt32 {
        var value: UInt32 = 0
        for (shift, byte) in try take(4).enumerated() { value |= UInt32(byte) << (8 * UInt32(shift)) }
        return value
    }

    mutating func u64() throws(Malformed) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try take(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }

    mutating func f64() throws(Malformed) -> Double { Double(bitPattern: try u64()) }

    mutating func bool() throws(Malformed) -> Bool { try u8() != 0 }

    mutating func data() throws(Malformed) -> [UInt8] { Array(try take(Int(try u32()))) }

    mutating func string() throws(Malformed) -> String { String(decoding: try take(Int(try u32())), as: UTF8.self) }

    mutating func optionalString() throws(Malformed) -> String? { try bool() ? try string() : nil }

    mutating func item() throws(Malformed) -> Item {
        let count = Int(try u32())
        var item: Item = [:]
        item.reserveCapacity(min(count, 4096))
        for _ in 0..<count {
            let name = try string()
            item[name] = try value()
        }
        return item
    }

    mutating func number() throws(Malformed) -> DynamoNumber {
        do {
            return try DynamoNumber(parsing: try string())
        } catch {
            throw Malformed()
        }
    }

    mutating func value() throws(Malformed) -> AttributeValue {
        switch try u8() {
        case 1: return .s(try string())
        case 2: return .n(try number())
        case 3: return .b(try data())
        case 4: return .bool(try bool())
        case 5: return .null
        case 6:
            var list: [AttributeValue] = []
            for _ in 0..<Int(try u32()) { list.append(try value()) }
            return .l(list)
        case 7: return .m(try item())
        case 8:
            var strings: [String] = []
            for _ in 0..<Int(try u32()) { strings.append(try string()) }
            return .ss(strings)
        case 9:
            var numbers: [DynamoNumber] = []
            for _ in 0..<Int(try u32()) { numbers.append(try number()) }
            return .ns(numbers)
        case 10:
            var binaries: [[UInt8]] = []
            for _ in 0..<Int(try u32()) { binaries.append(try data()) }
            return .bs(binaries)
        default:
            throw Malformed()
        }
    }
}
