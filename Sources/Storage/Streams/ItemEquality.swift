import DynamoModel

/// Whether a write changed an item, as DynamoDB Streams decides it: sets are unordered, so a set written back in
/// another order is no change.
enum ItemEquality {
    static func same(_ lhs: Item?, _ rhs: Item?) -> Bool {
        if lhs == rhs { return true }
        guard let lhs, let rhs, lhs.count == rhs.count else { return false }
        return lhs.allSatisfy { name, value in rhs[name].map { same(value, $0) } ?? false }
    }

    static func same(_ lhs: AttributeValue, _ rhs: AttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.ss(let left), .ss(let right)): return Set(left) == Set(right)
        case (.ns(let left), .ns(let right)): return Set(left) == Set(right)
        case (.bs(let left), .bs(let right)): return Set(left) == Set(right)
        case (.l(let left), .l(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        case (.m(let left), .m(let right)): return same(left, right)
        default: return lhs == rhs
        }
    }
}
