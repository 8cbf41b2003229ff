import DynamoModel
import JSON

/// Reads the Amazon Ion text DynamoDB's ION exports hold (and imports accept), one value per line:
/// `$ion_1_0 {Item:{...}}`. Structs become maps, lists lists, strings S, numbers (int, decimal, float) N, blobs B,
/// booleans BOOL, nulls NULL; lists annotated `$dynamodb_SS`, `$dynamodb_NS` or `$dynamodb_BS` become sets.
struct IonReader {
    /// Why a line is not an item.
    struct Malformed: Error {
        var reason: String
    }

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = Array(bytes)
    }

    /// The item of one `{Item:{...}}` line (an optional `$ion_1_0` marker first).
    static func item(_ line: ArraySlice<UInt8>) throws(Malformed) -> Item {
        var reader = IonReader(line)
        reader.skipSpace()
        if reader.bytes[reader.position...].starts(with: Array("$ion_1_0".utf8)) {
            reader.position += 8
        }
        guard case .m(let wrapper) = try reader.value() else { throw Malformed(reason: "Each line must be a struct {Item:{...}}") }
        reader.skipSpace()
        guard reader.position == reader.bytes.count else { throw Malformed(reason: "Unexpected text after the value") }
        guard wrapper.count == 1, case .m(let item)? = wrapper["Item"] else {
            throw Malformed(reason: "Each line must be a struct with a single field Item holding a struct")
        }
        return item
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let byte = current {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                position += 1
            } else if byte == UInt8(ascii: "/"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "/") {
                while let next = current, next != UInt8(ascii: "\n") { _ = next; position += 1 }
            } else {
                return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(Malformed) {
        skipSpace()
        guard current == byte else { throw Malformed(reason: "Expected '\(Character(UnicodeScalar(byte)))' at offset \(position)") }
        position += 1
    }

    private static func isSymbolByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$")
    }

    /// One value, with its annotations.
    mutating func value() throws(Malformed) -> AttributeValue {
        skipSpace()
        var annotations: [String] = []
        while true {
            let start = position
            if let symbol = try? symbolText(), matchesAnnotationSeparator() {
                annotations.append(symbol)
                continue
            }
            position = start
            break
        }
        let plain = try plainValue()
        guard let annotation = annotations.last else { return plain }
        guard case .l(let elements) = plain else { throw Malformed(reason: "The annotation \(annotation) needs a list") }
        switch annotation {
        case "$dynamodb_SS":
            var texts: [String] = []
            for element in elements {
                guard case .s(let text) = element else { throw Malformed(reason: "$dynamodb_SS holds strings only") }
                texts.append(text)
            }
            return .ss(texts)
        case "$dynamodb_NS":
            var numbers: [DynamoNumber] = []
            for element in elements {
                guard case .n(let number) = element else { throw Malformed(reason: "$dynamodb_NS holds numbers only") }
                numbers.append(number)
            }
            return .ns(numbers)
        case "$dynamodb_BS":
            var blobs: [[UInt8]] = []
            for element in elements {
                guard case .b(let blob) = element else { throw Malformed(reason: "$dynamodb_BS holds blobs only") }
                blobs.append(blob)
            }
            return .bs(blobs)
        default:
            return plain
        }
    }

    private mutating func matchesAnnotationSeparator() -> Bool {
        skipSpace()
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: ":"), bytes[position + 1] == UInt8(ascii: ":") else {
            return false
        }
        position += 2
        skipSpace()
        return true
    }

    /// A bare or quoted symbol's text.
    private mutating func symbolText() throws(Malformed) -> String {
        skipSpace()
        if current == UInt8(ascii: "'") {
            guard !bytes[position...].starts(with: Array("'''".utf8)) else { throw Malformed(reason: "Not a symbol") }
            return try quoted(UInt8(ascii: "'"))
        }
        let start = position
        while let byte = current, Self.isSymbolByte(byte) { position += 1 }
        guard position > start, let first = bytes[start...].first, !(first >= 0x30 && first <= 0x39) else {
            position = start
            throw Malformed(reason: "Expected a symbol at offset \(start)")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func plainValue() throws(Malformed) -> AttributeValue {
        skipSpace()
        guard let byte = current else { throw Malformed(reason: "Unexpected end of line") }
        switch byte {
        case UInt8(ascii: "{"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "{") { return .b(try blob()) }
            return .m(try structure())
        case UInt8(ascii: "["):
            return .l(try list())
        case UInt8(ascii: "\""):
            return .s(try quoted(UInt8(ascii: "\"")))
        case UInt8(ascii: "'"):
            guard bytes[position...].starts(with: Array("'''".utf8)) else {
                throw Malformed(reason: "A symbol is not an attribute value (offset \(position))")
            }
            return .s(try longStrings())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .n(try number())
        default:
            let symbol = try symbolText()
            switch symbol {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null":
                // Typed nulls (`null.string`, …) are NULL too.
                if current == UInt8(ascii: ".") {
                    position += 1
                    _ = try symbolText()
                }
                return .null
            default: throw Malformed(reason: "A symbol is not an attribute value: \(symbol)")
            }
        }
    }

    private mutating func structure() throws(Malformed) -> [String: AttributeValue] {
        try expect(UInt8(ascii: "{"))
        var fields: [String: AttributeValue] = [:]
        skipSpace()
        if current == UInt8(ascii: "}") { position += 1; return fields }
        while true {
            skipSpace()
            let name = current == UInt8(ascii: "\"") ? try quoted(UInt8(ascii: "\"")) : try symbolText()
            try expect(UInt8(ascii: ":"))
            fields[name] = try value()
            skipSpace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"))
            return fields
        }
    }

    private mutating func list() throws(Malformed) -> [AttributeValue] {
        try expect(UInt8(ascii: "["))
        var values: [AttributeValue] = []
        skipSpace()
        if current == UInt8(ascii: "]") { position += 1; return values }
        while true {
            values.append(try value())
            skipSpace()
            if current == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "]"))
            return values
        }
    }

    private mutating func blob() throws(Malformed) -> [UInt8] {
        position += 2
        var text: [UInt8] = []
        while let byte = current, byte != UInt8(ascii: "}") {
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\t") { text.append(byte) }
            position += 1
        }
        guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "}"),
              let decoded = Base64.decode(String(decoding: text, as: UTF8.self)) else {
            throw Malformed(reason: "Invalid blob at offset \(position)")
        }
        position += 2
        return decoded
    }

    /// `'''…'''` segments, concatenated.
    private mutating func longStrings() throws(Malformed) -> String {
        var result = ""
        while bytes[position...].starts(with: Array("'''".utf8)) {
            position += 3
            var segment: [UInt8] = []
            while !bytes[position...].starts(with: Array("'''".utf8)) {
                guard current != nil else { throw Malformed(reason: "Unterminated long string") }
                segment += try character()
            }
            position += 3
            result += String(decoding: segment, as: UTF8.self)
            skipSpace()
            if current != UInt8(ascii: "'") { break }
        }
        return result
    }

    private mutating func quoted(_ quote: UInt8) throws(Malformed) -> String {
        position += 1
        var text: [UInt8] = []
        while true {
            guard let byte = current else { throw Malformed(reason: "Unterminated string") }
            if byte == quote { position += 1; return String(decoding: text, as: UTF8.self) }
            text += try character()
        }
    }

    /// One character of a string, escapes resolved, as UTF-8.
    private mutating func character() throws(Malformed) -> [UInt8] {
        guard let byte = current else { throw Malformed(reason: "Unterminated string") }
        position += 1
        guard byte == UInt8(ascii: "\\") else { return [byte] }
        guard let escape = current else { throw Malformed(reason: "Unterminated escape") }
        position += 1
        switch escape {
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "0"): return [0x00]
        case UInt8(ascii: "a"): return [0x07]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "v"): return [0x0B]
        case UInt8(ascii: "x"): return try hexScalar(digits: 2)
        case UInt8(ascii: "u"): return try hexScalar(digits: 4)
        case UInt8(ascii: "U"): return try hexScalar(digits: 8)
        case UInt8(ascii: "\n"): return []
        default: return [escape]
        }
    }

    private mutating func hexScalar(digits: Int) throws(Malformed) -> [UInt8] {
        guard position + digits <= bytes.count,
              var value = UInt32(String(decoding: bytes[position..<position + digits], as: UTF8.self), radix: 16) else {
            throw Malformed(reason: "Invalid escape at offset \(position)")
        }
        position += digits
        // A UTF-16 surrogate pair written as two \u escapes.
        if value >= 0xD800 && value < 0xDC00, bytes[position...].starts(with: Array("\\u".utf8)), position + 6 <= bytes.count,
           let low = UInt32(String(decoding: bytes[position + 2..<position + 6], as: UTF8.self), radix: 16), low >= 0xDC00, low < 0xE000 {
            position += 6
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw Malformed(reason: "Invalid escape at offset \(position)") }
        return Array(String(Character(scalar)).utf8)
    }

    /// An Ion int, decimal (`1.5`, `15d-1`, `103.`) or float (`1.5e0`) as a DynamoDB number.
    private mutating func number() throws(Malformed) -> DynamoNumber {
        let start = position
        while let byte = current, Self.isSymbolByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
            position += 1
        }
        // Ion's decimal exponent marker is d; DynamoDB's number syntax wants E and no bare trailing point.
        var digits: [UInt8] = []
        for byte in bytes[start..<position] where byte != UInt8(ascii: "_") {
            let mapped = byte == UInt8(ascii: "d") || byte == UInt8(ascii: "D") ? UInt8(ascii: "E") : byte
            if (mapped == UInt8(ascii: "E") || mapped == UInt8(ascii: "e")), digits.last == UInt8(ascii: ".") { digits.removeLast() }
            digits.append(mapped)
        }
        if digits.last == UInt8(ascii: ".") { digits.removeLast() }
        let text = String(decoding: digits, as: UTF8.self)
        do throws(DynamoError) {
            return try DynamoNumber(parsing: text)
        } catch {
            throw Malformed(reason: "\(String(decoding: bytes[start..<position], as: UTF8.self)) is not a DynamoDB number: \(error.message ?? "")")
        }
    }
}
