/// One token of a PartiQL statement, with where it starts (line and column counted in characters from 1), for
/// DynamoDB's `at line:column:length` message suffixes.
package struct StatementToken: Equatable, Sendable {
    /// What the token is.
    package enum Kind: Equatable, Sendable {
        /// A bare word: a keyword, a function name or an unquoted attribute or table name.
        case word(String)
        /// A double-quoted name (`"table"`, `"attribute"`).
        case quoted(String)
        /// A single-quoted string literal.
        case string(String)
        /// A number literal as written (sign excluded).
        case number(String)
        /// `?`
        case parameter
        /// Punctuation and operators: `( ) [ ] { } , . : * + - = < <= > >= <> != << >>`.
        case symbol(String)
        case end
    }

    package var kind: Kind
    package var line: Int
    package var column: Int
    package var length: Int

    /// The keyword this token spells, upper-cased (nil for anything but a bare word).
    var keyword: String? {
        if case .word(let word) = kind { return word.uppercased() }
        return nil
    }

    /// DynamoDB's position suffix: `line:column:length`.
    var position: String { "\(line):\(column):\(length)" }
}
