/// Tokens of DynamoDB's expression languages.
enum TokenKind: Equatable {
    /// A bare attribute name or keyword (`a`, `AND`, `size`).
    case identifier(String)
    /// `#name`
    case namePlaceholder(String)
    /// `:value`
    case valuePlaceholder(String)
    /// Digits (list indexes).
    case number(Int)
    case leftParen, rightParen, leftBracket, rightBracket, comma, dot
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual, plus, minus
    /// A character no grammar accepts.
    case invalid
    case end
}

/// A token and where it stands in the source (byte offsets into its UTF-8).
struct Token {
    var kind: TokenKind
    var text: String
    var start: Int
    var end: Int

    /// Whether this is the keyword `word` (keywords are case-insensitive).
    func isKeyword(_ word: String) -> Bool {
        guard case .identifier(let name) = kind, name.utf8.count == word.utf8.count else { return false }
        return zip(name.utf8, word.utf8).allSatisfy { ($0 | 0x20) == ($1 | 0x20) }
    }
}

/// Splits an expression into tokens.
enum ExpressionLexer {
    static func tokenize(_ source: String) -> [Token] {
        let bytes = Array(source.utf8)
        var tokens: [Token] = []
        var index = 0
        func text(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
        while index < bytes.count {
            let byte = bytes[index]
            let start = index
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
                continue
            case UInt8(ascii: "("): index += 1; tokens.append(Token(kind: .leftParen, text: "(", start: start, end: index))
            case UInt8(ascii: ")"): index += 1; tokens.append(Token(kind: .rightParen, text: ")", start: start, end: index))
            case UInt8(ascii: "["): index += 1; tokens.append(Token(kind: .leftBracket, text: "[", start: start, end: index))
            case UInt8(ascii: "]"): index += 1; tokens.append(Token(kind: .rightBracket, text: "]", start: start, end: index))
            case UInt8(ascii: ","): index += 1; tokens.append(Token(kind: .comma, text: ",", start: start, end: index))
            case UInt8(ascii: "."): index += 1; tokens.append(Token(kind: .dot, text: ".", start: start, end: index))
            case UInt8(ascii: "+"): index += 1; tokens.append(Token(kind: .plus, text: "+", start: start, end: index))
            case UInt8(ascii: "-"): index += 1; tokens.append(Token(kind: .minus, text: "-", start: start, end: index))
            case UInt8(ascii: "="): index += 1; tokens.append(Token(kind: .equal, text: "=", start: start, end: index))
            case UInt8(ascii: "<"):
                index += 1
                if index < bytes.count && bytes[index] == UInt8(ascii: "=") {
                    index += 1
                    tokens.append(Token(kind: .lessOrEqual, text: "<=", start: start, end: index))
                } else if index < bytes.count && bytes[index] == UInt8(ascii: ">") {
                    index += 1
                    tokens.append(Token(kind: .notEqual, text: "<>", start: start, end: index))
                } else {
                    tokens.append(Token(kind: .less, text: "<", start: start, end: index))
                }
            case UInt8(ascii: ">"):
                index += 1
                if index < bytes.count && bytes[index] == UInt8(ascii: "=") {
                    index += 1
                    tokens.append(Token(kind: .greaterOrEqual, text: ">=", start: start, end: index))
                } else {
                    tokens.append(Token(kind: .greater, text: ">", start: start, end: index))
                }
            case UInt8(ascii: "#"), UInt8(ascii: ":"):
                index += 1
                while index < bytes.count && isNameByte(bytes[index]) { index += 1 }
                let value = text(start, index)
                if index == start + 1 {
                    tokens.append(Token(kind: .invalid, text: value, start: start, end: index))
                } else {
                    tokens.append(Token(kind: byte == UInt8(ascii: "#") ? .namePlaceholder(value) : .valuePlaceholder(value),
                                        text: value, start: start, end: index))
                }
            case 0x30...0x39:
                while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
                if index < bytes.count && isNameByte(bytes[index]) {
                    while index < bytes.count && isNameByte(bytes[index]) { index += 1 }
                    tokens.append(Token(kind: .invalid, text: text(start, index), start: start, end: index))
                } else {
                    let digits = text(start, index)
                    tokens.append(Token(kind: .number(Int(digits) ?? Int.max), text: digits, start: start, end: index))
                }
            default:
                if isNameByte(byte) {
                    while index < bytes.count && isNameByte(bytes[index]) { index += 1 }
                    let name = text(start, index)
                    tokens.append(Token(kind: .identifier(name), text: name, start: start, end: index))
                } else {
                    // One whole UTF-8 character.
                    index += 1
                    while index < bytes.count && bytes[index] & 0xC0 == 0x80 { index += 1 }
                    tokens.append(Token(kind: .invalid, text: text(start, index), start: start, end: index))
                }
            }
        }
        tokens.append(Token(kind: .end, text: "<EOF>", start: bytes.count, end: bytes.count))
        return tokens
    }
}
