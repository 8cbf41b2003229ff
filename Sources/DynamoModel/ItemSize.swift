/// Item size by DynamoDB's rules: the UTF-8 length of each attribute name plus the size of its value.
///
/// S: UTF-8 bytes; B: bytes; N: 1 + ⌈digits/2⌉ (+1 when the digit count is even and the exponent is even,
/// +1 when negative; zero is 1); BOOL and NULL: 1; sets: the sum of their members; L: 3 + Σ(1 + element);
/// M: 3 + Σ(1 + name + value).
package enum ItemSize {
    /// DynamoDB's maximum item size: 400 KB.
    package static let maximumBytes = 400 * 1024

    /// The size of an item in bytes as DynamoDB counts it.
    package static func of(_ item: Item) -> Int {
        var total = 0
        for (name, value) in item { total += name.utf8.count + of(value) }
        return total
    }

    /// The size of one value as DynamoDB counts it.
    package static func of(_ value: AttributeValue) -> Int {
        switch value {
        case .s(let text): return text.utf8.count
        case .n(let number): return of(number)
        case .b(let bytes): return bytes.count
        case .bool, .null: return 1
        case .ss(let strings): return strings.reduce(0) { $0 + $1.utf8.count }
        case .ns(let numbers): return numbers.reduce(0) { $0 + of($1) }
        case .bs(let binaries): return binaries.reduce(0) { $0 + $1.count }
        case .l(let elements): return 3 + elements.reduce(0) { $0 + 1 + of($1) }
        case .m(let entries): return 3 + entries.reduce(0) { $0 + 1 + $1.key.utf8.count + of($1.value) }
        }
    }

    static func of(_ number: DynamoNumber) -> Int {
        if number.isZero { return 1 }
        let count = number.digits.count
        // The scientific exponent (of the first digit) is exponent - 1.
        let scientificExponent = number.exponent - 1
        let pad = (count % 2 != 0 || scientificExponent % 2 != 0) ? 0 : 1
        return 1 + (count + 1) / 2 + pad + (number.isNegative ? 1 : 0)
    }
}
