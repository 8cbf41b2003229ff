import DynamoModel

/// A cursor over tokens that reports syntax errors the way DynamoDB words them:
/// `Invalid <Kind>: Syntax error; token: "<token>", near: "<text>"`, where the text spans the token before the
/// offending one through the offending one (or, at the very start, the offending token and the next).
struct TokenStream {
    let source: [UInt8]
    let tokens: [Token]
    let kind: ExpressionKind
    var position = 0

    /// DynamoDB's limit on the length of one expression.
    static let maximumBytes = 4096

    init(_ source: String, kind: ExpressionKind) {
        self.source = Array(source.utf8)
        // An over-long expression is refused before it is read; tokenizing it would only waste time.
        tokens = self.source.count > Self.maximumBytes
            ? [Token(kind: .end, text: "<EOF>", start: 0, end: 0)] : ExpressionLexer.tokenize(source)
        self.kind = kind
    }

    /// Refuses expressions longer than DynamoDB accepts.
    func checkSize() throws(DynamoError) {
        if source.count > Self.maximumBytes {
            throw error("Expression size has exceeded the maximum allowed size; expression size: \(source.count)")
        }
    }

    var current: Token { tokens[position] }
    var next: Token { tokens[min(position + 1, tokens.count - 1)] }
    var atEnd: Bool { current.kind == .end }

    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func consume(_ kind: TokenKind) -> Bool {
        if current.kind == kind {
            _ = advance()
            return true
        }
        return false
    }

    mutating func consumeKeyword(_ word: String) -> Bool {
        if current.isKeyword(word) {
            _ = advance()
            return true
        }
        return false
    }

    mutating func expect(_ kind: TokenKind) throws(DynamoError) {
        guard consume(kind) else { throw syntaxError() }
    }

    /// The syntax error at the current token.
    func syntaxError() -> DynamoError {
        syntaxError(at: position)
    }

    func syntaxError(at index: Int) -> DynamoError {
        let token = tokens[index]
        let nearStart: Int
        let nearEnd: Int
        if index > 0 {
            nearStart = tokens[index - 1].start
            nearEnd = token.kind == .end ? tokens[index - 1].end : token.end
        } else {
            nearStart = token.start
            nearEnd = index + 1 < tokens.count && tokens[index + 1].kind != .end ? tokens[index + 1].end : token.end
        }
        let near = String(decoding: source[nearStart..<nearEnd], as: UTF8.self)
        return .validation("Invalid \(kind.rawValue): Syntax error; token: \"\(token.text)\", near: \"\(near)\"")
    }

    func error(_ message: String) -> DynamoError {
        .validation("Invalid \(kind.rawValue): \(message)")
    }

    /// Parses a document path: name or #placeholder, then `.name`, `.#placeholder` or `[index]` steps.
    mutating func parsePath(_ attributes: inout ExpressionAttributes) throws(DynamoError) -> DocumentPath {
        var elements: [PathElement] = [try parsePathName(&attributes)]
        while true {
            if consume(.dot) {
                elements.append(try parsePathName(&attributes))
            } else if current.kind == .leftBracket {
                _ = advance()
                guard case .number(let index) = current.kind else { throw syntaxError() }
                _ = advance()
                try expect(.rightBracket)
                elements.append(.index(index))
            } else {
                return DocumentPath(elements)
            }
        }
    }

    private mutating func parsePathName(_ attributes: inout ExpressionAttributes) throws(DynamoError) -> PathElement {
        switch current.kind {
        case .identifier(let name):
            if ReservedWords.contains(name) {
                throw error("Attribute name is a reserved keyword; reserved keyword: \(name)")
            }
            _ = advance()
            return .name(name)
        case .namePlaceholder(let placeholder):
            _ = advance()
            return .name(try attributes.resolveName(placeholder, kind: kind))
        default:
            throw syntaxError()
        }
    }
}
