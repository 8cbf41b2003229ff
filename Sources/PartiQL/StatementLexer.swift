import DynamoModel

/// Splits a PartiQL statement into tokens. Comments (`-- …` to the end of the line, `/* … */`) are whitespace;
/// `#` comments, unterminated comments and strings, and number literals whose exponent or scale does not fit a
/// 32-bit integer are refused with the bare "wasn't well formed" message, as DynamoDB refuses them.
struct StatementLexer {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) {
        characters = Array(source)
    }

    static func tokenize(_ source: String) throws(DynamoError) -> [StatementToken] {
        var lexer = StatementLexer(source)
        var tokens: [StatementToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var current: Character? { index < characters.count ? characters[index] : nil }
    private func peek(_ offset: Int) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        if characters[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func skipTrivia() throws(DynamoError) {
        while let character = current {
            if character.isWhitespace {
                advance()
            } else if character == "-" && peek(1) == "-" {
                while let next = current, next != "\n" { advance() }
            } else if character == "/" && peek(1) == "*" {
                advance(); advance()
                while true {
                    guard let next = current else { throw StatementError.notWellFormed("") }
                    if next == "*" && peek(1) == "/" {
                        advance(); advance()
                        break
                    }
                    advance()
                }
            } else {
                return
            }
        }
    }

    mutating func next() throws(DynamoError) -> StatementToken {
        try skipTrivia()
        let startLine = line
        let startColumn = column
        let start = index
        func token(_ kind: StatementToken.Kind) -> StatementToken {
            StatementToken(kind: kind, line: startLine, column: startColumn, length: index - start)
        }
        guard let character = current else { return token(.end) }
        if character == "'" || character == "\"" {
            let text = try quotedText(closing: character)
            return token(character == "'" ? .string(text) : .quoted(text))
        }
        if character.isNumber && character.isASCII || (character == "." && (peek(1)?.isASCII ?? false) && (peek(1)?.isNumber ?? false)) {
            return token(.number(try numberText()))
        }
        if character.isLetter || character == "_" || character == "$" {
            var word = ""
            while let next = current, next.isLetter || next.isNumber || next == "_" || next == "$" {
                word.append(next)
                advance()
            }
            return token(.word(word))
        }
        if character == "?" {
            advance()
            return token(.parameter)
        }
        let pairs = ["<=", ">=", "<>", "!=", "<<", ">>", "||"]
        if let second = peek(1), pairs.contains(String([character, second])) {
            advance(); advance()
            return token(.symbol(String([character, second])))
        }
        if "()[]{},.:;*+-=<>/%".contains(character) {
            advance()
            return token(.symbol(String(character)))
        }
        // `#` comments and any other character: DynamoDB's lexer cannot read the statement at all.
        throw StatementError.notWellFormed("")
    }

    /// The text between quotes; a doubled quote stands for one.
    private mutating func quotedText(closing: Character) throws(DynamoError) -> String {
        advance()
        var text = ""
        while true {
            guard let next = current else { throw StatementError.notWellFormed("") }
            advance()
            if next == closing {
                if current == closing {
                    text.append(closing)
                    advance()
                    continue
                }
                return text
            }
            text.append(next)
        }
    }

    /// A number literal: digits, an optional fraction, an optional exponent. The exponent and the scale (digits
    /// after the point less the exponent) must fit a 32-bit integer, as Java's BigDecimal requires.
    private mutating func numberText() throws(DynamoError) -> String {
        var text = ""
        var fractionDigits = 0
        var inFraction = false
        while let next = current, (next.isASCII && next.isNumber) || (next == "." && !inFraction) {
            if next == "." { inFraction = true } else if inFraction { fractionDigits += 1 }
            text.append(next)
            advance()
        }
        if let next = current, next == "e" || next == "E" {
            var exponentText = ""
            var lookahead = 1
            if let sign = peek(1), sign == "+" || sign == "-" {
                exponentText.append(sign)
                lookahead = 2
            }
            guard let digit = peek(lookahead), digit.isASCII, digit.isNumber else { return text }
            for _ in 0..<lookahead { advance() }
            while let digit = current, digit.isASCII, digit.isNumber {
                exponentText.append(digit)
                advance()
            }
            guard let exponent = Int64(exponentText), exponent >= Int64(Int32.min), exponent <= Int64(Int32.max),
                  Int64(fractionDigits) - exponent >= Int64(Int32.min), Int64(fractionDigits) - exponent <= Int64(Int32.max) else {
                throw StatementError.notWellFormed("")
            }
            text += "e" + exponentText
        }
        return text
    }
}
