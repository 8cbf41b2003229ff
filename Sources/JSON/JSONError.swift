/// Why a byte sequence is not acceptable JSON. `offset` is the byte index where parsing stopped.
package struct JSONError: Error, Sendable, Equatable {
    /// The class of malformation.
    package enum Reason: Sendable, Equatable {
        case unexpectedEndOfInput
        case unexpectedCharacter(UInt8)
        case invalidNumber
        case invalidEscape
        case invalidUnicodeEscape
        case invalidUTF8
        case controlCharacterInString
        case nestingTooDeep
        case trailingCharacters
    }

    package var reason: Reason
    package var offset: Int

    package init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }
}
