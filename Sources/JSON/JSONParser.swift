/// Parses RFC 8259 JSON from bytes, in place, without Foundation.
///
/// Numbers are validated against the JSON grammar and kept as their source text. Strings are validated as UTF-8;
/// escapes (including surrogate pairs) are decoded. Nesting deeper than `maximumDepth` is refused, so hostile input
/// can never exhaust the stack.
package enum JSONParser {
    /// The deepest nesting of arrays and objects accepted; deeper input throws `.nestingTooDeep`. DynamoDB documents
    /// nest 32 levels, which take two JSON levels each, so this leaves room for them to fail with DynamoDB's message.
    package static let maximumDepth = 128

    /// Parses one complete JSON document (surrounding whitespace allowed).
    package static func parse(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONValue in
            var cursor = Cursor(buffer)
            cursor.skipWhitespace()
            let value = try cursor.parseValue(depth: 0)
            cursor.skipWhitespace()
            if cursor.position != buffer.count { throw JSONError(.trailingCharacters, at: cursor.position) }
            return value
        }
    }
}

/// The parsing state over one buffer.
private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    @inline(__always)
    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard let byte = peek() else { throw JSONError(.unexpectedEndOfInput, at: position) }
        switch byte {
        case UInt8(ascii: "{"):
            return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["):
            return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw JSONError(.unexpectedCharacter(byte), at: position)
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let pointer = literal.utf8Start
        for offset in 0..<count {
            guard position < bytes.count else { throw JSONError(.unexpectedEndOfInput, at: position) }
            guard bytes[position] == pointer[offset] else {
                throw JSONError(.unexpectedCharacter(bytes[position]), at: position)
            }
            position += 1
        }
        _ = start
    }

    mutating func parseObject(depth: Int) throws(JSONError) -> JSONObject {
        if depth > JSONParser.maximumDepth { throw JSONError(.nestingTooDeep, at: position) }
        position += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        // DynamoDB's objects are small (an attribute value has one member, a key two): one allocation, no regrowth.
        members.reserveCapacity(4)
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return JSONObject(members)
        }
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw JSONError(.unexpectedEndOfInput, at: position) }
            guard byte == UInt8(ascii: "\"") else { throw JSONError(.unexpectedCharacter(byte), at: position) }
            let key = try parseString()
            skipWhitespace()
            guard let colon = peek() else { throw JSONError(.unexpectedEndOfInput, at: position) }
            guard colon == UInt8(ascii: ":") else { throw JSONError(.unexpectedCharacter(colon), at: position) }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            guard let separator = peek() else { throw JSONError(.unexpectedEndOfInput, at: position) }
            position += 1
            if separator == UInt8(ascii: "}") { return JSONObject(members) }
            guard separator == UInt8(ascii: ",") else {
                throw JSONError(.unexpectedCharacter(separator), at: position - 1)
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> [JSONValue] {
        if depth > JSONParser.maximumDepth { throw JSONError(.nestingTooDeep, at: position) }
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard let separator = peek() else { throw JSONError(.unexpectedEndOfInput, at: position) }
            position += 1
            if separator == UInt8(ascii: "]") { return elements }
            guard separator == UInt8(ascii: ",") else {
                throw JSONError(.unexpectedCharacter(separator), at: position - 1)
            }
        }
    }

    /// number := '-'? int frac? exp?   int := '0' | [1-9][0-9]*   frac := '.' [0-9]+   exp := [eE] [+-]? [0-9]+
    mutating func parseNumber() throws(JSONError) -> String {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek() else { throw JSONError(.invalidNumber, at: position) }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) { throw JSONError(.invalidNumber, at: position) }
        } else if isDigit(first) {
            while let next = peek(), isDigit(next) { position += 1 }
        } else {
            throw JSONError(.invalidNumber, at: position)
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let next = peek(), isDigit(next) else { throw JSONError(.invalidNumber, at: position) }
            while let next = peek(), isDigit(next) { position += 1 }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            position += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { position += 1 }
            guard let next = peek(), isDigit(next) else { throw JSONError(.invalidNumber, at: position) }
            while let next = peek(), isDigit(next) { position += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Parses a string starting at its opening quote. The common case (no escapes) is one validated slice copy.
    mutating func parseString() throws(JSONError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast scan: stop at the closing quote, a backslash, a control character or a non-ASCII byte.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            position += 1
        }
        // Slow path: escapes and multi-byte UTF-8, validated byte by byte.
        var scratch: [UInt8] = []
        scratch.reserveCapacity(position - start + 16)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while true {
            guard position < bytes.count else { throw JSONError(.unexpectedEndOfInput, at: position) }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &scratch)
            case 0..<0x20:
                throw JSONError(.controlCharacterInString, at: position)
            case 0x20..<0x80:
                scratch.append(byte)
                position += 1
            default:
                try copyUTF8Sequence(into: &scratch)
            }
        }
    }

    mutating func parseEscape(into scratch: inout [UInt8]) throws(JSONError) {
        position += 1  // backslash
        guard let escaped = peek() else { throw JSONError(.unexpectedEndOfInput, at: position) }
        position += 1
        switch escaped {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                      bytes[position + 1] == UInt8(ascii: "u") else {
                    throw JSONError(.invalidUnicodeEscape, at: position)
                }
                position += 2
                let low = try readHex4()
                guard low >= 0xDC00 && low <= 0xDFFF else { throw JSONError(.invalidUnicodeEscape, at: position) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw JSONError(.invalidUnicodeEscape, at: position)
            }
            appendUTF8(scalar, to: &scratch)
        default:
            throw JSONError(.invalidEscape, at: position - 1)
        }
    }

    mutating func readHex4() throws(JSONError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw JSONError(.unexpectedEndOfInput, at: position) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw JSONError(.invalidUnicodeEscape, at: position)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    func appendUTF8(_ scalar: UInt32, to scratch: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Copies one well-formed multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    mutating func copyUTF8Sequence(into scratch: inout [UInt8]) throws(JSONError) {
        let lead = bytes[position]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw JSONError(.invalidUTF8, at: position)
        }
        guard position + length <= bytes.count else { throw JSONError(.invalidUTF8, at: position) }
        let second = bytes[position + 1]
        guard second >= lowerBound && second <= upperBound else { throw JSONError(.invalidUTF8, at: position + 1) }
        for offset in 2..<max(2, length) where bytes[position + offset] & 0xC0 != 0x80 {
            throw JSONError(.invalidUTF8, at: position + offset)
        }
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<(position + length)]))
        position += length
    }
}
