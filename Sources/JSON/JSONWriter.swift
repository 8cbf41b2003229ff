/// Serializes JSON compactly (no whitespace). Non-ASCII text is written as raw UTF-8, as DynamoDB writes it; `"`,
/// `\` and control characters are escaped.
///
/// Two ways to use it: `write(_:)` a whole `JSONValue`, or the streaming calls (`beginObject`, `key`, `string`, ...)
/// on the hot path, which insert commas themselves.
package struct JSONWriter {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8] = []
    /// Per open container: whether the next element is its first (no comma before it).
    private var firstElement: [Bool] = []
    /// Set after `key(_:)`: the next value follows a colon, not a comma.
    private var afterKey = false

    package init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Serializes a value into a fresh byte array.
    package static func serialize(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }

    /// Writes a whole value.
    package mutating func write(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text): number(text: text)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { write(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.key)
                write(member.value)
            }
            endObject()
        case .encoded(let json):
            rawValue(json)
        }
    }

    // MARK: - Streaming

    @inline(__always)
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard !firstElement.isEmpty else { return }
        if firstElement[firstElement.count - 1] {
            firstElement[firstElement.count - 1] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    /// `{`
    package mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        firstElement.append(true)
    }

    /// `}`
    package mutating func endObject() {
        firstElement.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// `[`
    package mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        firstElement.append(true)
    }

    /// `]`
    package mutating func endArray() {
        firstElement.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// An object member's name; the next call writes its value.
    package mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// A string value.
    package mutating func string(_ text: String) {
        separate()
        appendQuoted(text)
    }

    /// A number given as its JSON text (not validated: callers pass canonical numbers).
    package mutating func number(text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
    }

    /// A whole number.
    package mutating func number(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// `true` or `false`.
    package mutating func bool(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
    }

    /// `null`.
    package mutating func null() {
        separate()
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
    }

    /// A pre-serialized JSON value, copied as is.
    package mutating func rawValue(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ text: String) {
        var text = text
        text.withUTF8 { Self.appendQuoted($0, to: &bytes) }
    }

    /// Appends UTF-8 text as a JSON string: quoted, with `"`, `\\` and control characters escaped.
    package static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < utf8.count {
            // Item text rarely needs escaping: pass over eight plain bytes at a time.
            if let base = utf8.baseAddress {
                while index + 8 <= utf8.count
                        && !mayNeedEscaping(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                }
            }
            let stop = min(index + 8, utf8.count)
            while index < stop {
                let byte = utf8[index]
                index += 1
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                appendEscaped(byte, after: UnsafeBufferPointer(rebasing: utf8[runStart..<(index - 1)]), to: &bytes)
                runStart = index
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether any of eight bytes is a control character, `"` or `\\` (word-at-a-time tests for a byte below 0x20
    /// and for a byte equal to each of the two).
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- 0x20 &* ones) & ~word & highBits
        let quote = word ^ (0x22 &* ones)
        let backslash = word ^ (0x5C &* ones)
        return below | ((quote &- ones) & ~quote & highBits) | ((backslash &- ones) & ~backslash & highBits) != 0
    }

    /// Appends the plain run before an escaped byte, then the byte's escape.
    private static func appendEscaped(_ byte: UInt8, after run: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        if !run.isEmpty { bytes.append(contentsOf: run) }
        switch byte {
        case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
        case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
        case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        default:
            bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30,
                                      hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
        }
    }
}
