/// Exact decimal addition and subtraction (UpdateItem's `ADD` and `SET a = b + c`), with DynamoDB's precision and
/// range errors on the result.
extension DynamoNumber {
    /// `self + other`, exactly.
    package func adding(_ other: DynamoNumber) throws(DynamoError) -> DynamoNumber {
        if isZero { return other }
        if other.isZero { return self }
        // Align both to a common last-digit place.
        let lowPlace = min(exponent - digits.count, other.exponent - other.digits.count)
        let highPlace = max(exponent, other.exponent)
        let width = highPlace - lowPlace
        func aligned(_ number: DynamoNumber) -> [Int] {
            var result = [Int](repeating: 0, count: width)
            let offset = highPlace - number.exponent
            for (index, digit) in number.digits.enumerated() { result[offset + index] = Int(digit) }
            return result
        }
        let left = aligned(self)
        let right = aligned(other)
        var resultDigits: [Int]
        var negative: Bool
        if isNegative == other.isNegative {
            resultDigits = [Int](repeating: 0, count: width + 1)
            var carry = 0
            for index in stride(from: width - 1, through: 0, by: -1) {
                let sum = left[index] + right[index] + carry
                resultDigits[index + 1] = sum % 10
                carry = sum / 10
            }
            resultDigits[0] = carry
            negative = isNegative
            return try DynamoNumber(checkingDigits: resultDigits.map(UInt8.init), exponent: highPlace + 1,
                                    isNegative: negative)
        }
        // Different signs: subtract the smaller magnitude from the larger.
        let magnitude = Self.compareMagnitude(self, other)
        if magnitude == 0 { return .zero }
        let (larger, smaller) = magnitude > 0 ? (left, right) : (right, left)
        negative = magnitude > 0 ? isNegative : other.isNegative
        resultDigits = [Int](repeating: 0, count: width)
        var borrow = 0
        for index in stride(from: width - 1, through: 0, by: -1) {
            var difference = larger[index] - smaller[index] - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 10 }
            resultDigits[index] = difference
        }
        return try DynamoNumber(checkingDigits: resultDigits.map(UInt8.init), exponent: highPlace, isNegative: negative)
    }

    /// `self - other`, exactly.
    package func subtracting(_ other: DynamoNumber) throws(DynamoError) -> DynamoNumber {
        try adding(other.negated)
    }
}
