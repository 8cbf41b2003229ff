/// A DynamoDB number: a decimal with up to 38 significant digits and magnitude from 1E-130 to 9.99…E+125.
///
/// Stored normalised — digits without leading or trailing zeros, an exponent and a sign — so that numerically equal
/// numbers are equal values ("1.50", "1.5" and "15E-1" are one number). value = 0.d₁d₂…dₙ × 10^exponent.
package struct DynamoNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Significant digits (0–9), most significant first, no leading or trailing zeros; empty means zero.
    package private(set) var digits: [UInt8]
    /// Power of ten of the place just left of the first digit.
    package private(set) var exponent: Int
    package private(set) var isNegative: Bool

    /// DynamoDB's limits.
    package static let maximumSignificantDigits = 38
    /// Largest exponent (0.999… × 10^126 = 9.99…E+125).
    static let maximumExponent = 126
    /// Smallest exponent (0.1 × 10^-129 = 1E-130).
    static let minimumExponent = -129

    /// Zero.
    package static let zero = DynamoNumber(normalizedDigits: [], exponent: 0, isNegative: false)

    init(normalizedDigits: [UInt8], exponent: Int, isNegative: Bool) {
        digits = normalizedDigits
        self.exponent = normalizedDigits.isEmpty ? 0 : exponent
        self.isNegative = normalizedDigits.isEmpty ? false : isNegative
    }

    /// Builds a number from raw digits (any leading/trailing zeros), checking DynamoDB's precision and range.
    init(checkingDigits rawDigits: [UInt8], exponent rawExponent: Int, isNegative: Bool) throws(DynamoError) {
        var start = 0
        var exponent = rawExponent
        while start < rawDigits.count && rawDigits[start] == 0 {
            start += 1
            exponent -= 1
        }
        var end = rawDigits.count
        while end > start && rawDigits[end - 1] == 0 { end -= 1 }
        let significant = Array(rawDigits[start..<end])
        if significant.isEmpty {
            self = .zero
            return
        }
        if significant.count > Self.maximumSignificantDigits {
            throw .validation("Attempting to store more than 38 significant digits in a Number")
        }
        if exponent > Self.maximumExponent {
            throw .validation("Number overflow. Attempting to store a number with magnitude larger than supported range")
        }
        if exponent < Self.minimumExponent {
            throw .validation("Number underflow. Attempting to store a number with magnitude smaller than supported range")
        }
        self.init(normalizedDigits: significant, exponent: exponent, isNegative: isNegative)
    }

    /// Parses a number string as DynamoDB accepts it: optional sign, digits with an optional fraction, optional
    /// exponent. Throws DynamoDB's ValidationException otherwise.
    package init(parsing text: String) throws(DynamoError) {
        let bytes = Array(text.utf8)
        var index = 0
        var negative = false
        if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: [UInt8] = []
        var digitsBeforePoint = 0
        var sawPoint = false
        var sawDigit = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                mantissa.append(byte - 0x30)
                if !sawPoint { digitsBeforePoint += 1 }
                sawDigit = true
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard sawDigit else { throw Self.notNumeric(text) }
        var exponentValue = 0
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            var exponentNegative = false
            if index < bytes.count && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponentDigits = 0
            while index < bytes.count && bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                // Clamp: anything this large over- or underflows anyway.
                if exponentValue < 1_000_000 { exponentValue = exponentValue * 10 + Int(bytes[index] - 0x30) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { throw Self.notNumeric(text) }
            if exponentNegative { exponentValue = -exponentValue }
        }
        guard index == bytes.count else { throw Self.notNumeric(text) }
        try self.init(checkingDigits: mantissa, exponent: digitsBeforePoint + exponentValue, isNegative: negative)
    }

    static func notNumeric(_ text: String) -> DynamoError {
        .validation("The parameter cannot be converted to a numeric value: \(text)")
    }

    /// A whole number (for sizes and counts).
    package init(_ value: Int) {
        let text = String(value)
        // A decimal integer literal always parses.
        self = (try? DynamoNumber(parsing: text)) ?? .zero
    }

    /// DynamoDB's canonical text: plain notation, no exponent, no trailing zeros ("1.50" → "1.5", "1E+2" → "100").
    package var canonicalText: String {
        if digits.isEmpty { return "0" }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count + abs(exponent) + 3)
        if isNegative { bytes.append(UInt8(ascii: "-")) }
        if exponent <= 0 {
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -exponent))
            bytes.append(contentsOf: digits.map { $0 + 0x30 })
        } else if exponent < digits.count {
            bytes.append(contentsOf: digits[0..<exponent].map { $0 + 0x30 })
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: digits[exponent...].map { $0 + 0x30 })
        } else {
            bytes.append(contentsOf: digits.map { $0 + 0x30 })
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent - digits.count))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    package var description: String { canonicalText }

    package var isZero: Bool { digits.isEmpty }

    /// Compares magnitudes (ignoring sign).
    static func compareMagnitude(_ lhs: DynamoNumber, _ rhs: DynamoNumber) -> Int {
        if lhs.isZero || rhs.isZero { return (lhs.isZero ? 0 : 1) - (rhs.isZero ? 0 : 1) }
        if lhs.exponent != rhs.exponent { return lhs.exponent < rhs.exponent ? -1 : 1 }
        let count = max(lhs.digits.count, rhs.digits.count)
        for index in 0..<count {
            let left = index < lhs.digits.count ? lhs.digits[index] : 0
            let right = index < rhs.digits.count ? rhs.digits[index] : 0
            if left != right { return left < right ? -1 : 1 }
        }
        return 0
    }

    package static func < (lhs: DynamoNumber, rhs: DynamoNumber) -> Bool {
        let leftSign = lhs.isZero ? 0 : (lhs.isNegative ? -1 : 1)
        let rightSign = rhs.isZero ? 0 : (rhs.isNegative ? -1 : 1)
        if leftSign != rightSign { return leftSign < rightSign }
        let magnitude = compareMagnitude(lhs, rhs)
        return leftSign >= 0 ? magnitude < 0 : magnitude > 0
    }

    /// The number with its sign flipped.
    package var negated: DynamoNumber {
        DynamoNumber(normalizedDigits: digits, exponent: exponent, isNegative: !isNegative)
    }
}
