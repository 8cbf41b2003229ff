import DynamoModel

/// DynamoDB's evaluation rules: values compare only with values of the same type; a missing attribute makes every
/// comparison false except `<>`; sets are equal regardless of order.
package enum Evaluator {
    /// The value at `path` in `item`, if present.
    package static func resolve(_ path: DocumentPath, in item: Item?) -> AttributeValue? {
        guard let item, case .name(let root)? = path.elements.first, var value = item[root] else { return nil }
        for element in path.elements.dropFirst() {
            switch (element, value) {
            case (.name(let name), .m(let map)):
                guard let next = map[name] else { return nil }
                value = next
            case (.index(let index), .l(let list)):
                guard index < list.count else { return nil }
                value = list[index]
            default:
                return nil
            }
        }
        return value
    }

    static func value(of operand: Operand, in item: Item?) -> AttributeValue? {
        switch operand {
        case .value(let value): return value
        case .path(let path): return resolve(path, in: item)
        case .size(let path):
            guard let value = resolve(path, in: item), let size = size(of: value) else { return nil }
            return .n(DynamoNumber(size))
        }
    }

    /// `size()`: string length, binary length, element counts; nil for types without a size.
    static func size(of value: AttributeValue) -> Int? {
        switch value {
        case .s(let text): return text.utf8.count
        case .b(let bytes): return bytes.count
        case .ss(let strings): return strings.count
        case .ns(let numbers): return numbers.count
        case .bs(let binaries): return binaries.count
        case .l(let list): return list.count
        case .m(let map): return map.count
        default: return nil
        }
    }

    /// Deep equality with set semantics for SS, NS and BS.
    package static func equal(_ lhs: AttributeValue, _ rhs: AttributeValue) -> Bool {
        switch (lhs, rhs) {
        case (.ss(let a), .ss(let b)): return a.count == b.count && Set(a) == Set(b)
        case (.ns(let a), .ns(let b)): return a.count == b.count && Set(a) == Set(b)
        case (.bs(let a), .bs(let b)): return a.count == b.count && Set(a) == Set(b)
        case (.l(let a), .l(let b)): return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.m(let a), .m(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default: return lhs == rhs
        }
    }

    /// Order of two values of the same ordered type (S by UTF-8 bytes, N numerically, B by bytes); nil otherwise.
    package static func order(_ lhs: AttributeValue, _ rhs: AttributeValue) -> Int? {
        switch (lhs, rhs) {
        case (.s(let a), .s(let b)): return compareBytes(Array(a.utf8), Array(b.utf8))
        case (.b(let a), .b(let b)): return compareBytes(a, b)
        case (.n(let a), .n(let b)): return a == b ? 0 : (a < b ? -1 : 1)
        default: return nil
        }
    }

    static func compareBytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a == b { return 0 }
        return a.lexicographicallyPrecedes(b) ? -1 : 1
    }

    /// Evaluates a condition against an item (nil: the item does not exist).
    package static func evaluate(_ condition: Condition, on item: Item?) -> Bool {
        switch condition {
        case .and(let left, let right): return evaluate(left, on: item) && evaluate(right, on: item)
        case .or(let left, let right): return evaluate(left, on: item) || evaluate(right, on: item)
        case .not(let inner): return !evaluate(inner, on: item)
        case .attributeExists(let path): return resolve(path, in: item) != nil
        case .attributeNotExists(let path): return resolve(path, in: item) == nil
        case .attributeType(let path, let type):
            guard let value = resolve(path, in: item), case .s(let name)? = Self.value(of: type, in: item) else { return false }
            return value.typeDescriptor == name
        case .compare(let left, let comparator, let right):
            let a = value(of: left, in: item)
            let b = value(of: right, in: item)
            if comparator == .notEqual {
                guard let a, let b else { return true }
                return !equal(a, b)
            }
            guard let a, let b else { return false }
            if comparator == .equal { return equal(a, b) }
            guard let order = order(a, b) else { return false }
            switch comparator {
            case .less: return order < 0
            case .lessOrEqual: return order <= 0
            case .greater: return order > 0
            default: return order >= 0
            }
        case .between(let operand, let lower, let upper):
            guard let value = value(of: operand, in: item), let low = Self.value(of: lower, in: item),
                  let high = Self.value(of: upper, in: item),
                  let fromLow = order(value, low), let toHigh = order(value, high) else { return false }
            return fromLow >= 0 && toHigh <= 0
        case .isIn(let operand, let candidates):
            guard let value = value(of: operand, in: item) else { return false }
            return candidates.contains { candidate in Self.value(of: candidate, in: item).map { equal(value, $0) } ?? false }
        case .beginsWith(let operand, let prefix):
            switch (value(of: operand, in: item), value(of: prefix, in: item)) {
            case (.s(let text)?, .s(let start)?): return text.utf8.starts(with: start.utf8)
            case (.b(let bytes)?, .b(let start)?): return bytes.starts(with: start)
            default: return false
            }
        case .contains(let operand, let member):
            guard let container = value(of: operand, in: item), let member = value(of: member, in: item) else { return false }
            return contains(container, member)
        case .notContains(let operand, let member):
            guard let container = value(of: operand, in: item), let member = value(of: member, in: item) else { return false }
            return !contains(container, member)
        }
    }

    static func contains(_ container: AttributeValue, _ member: AttributeValue) -> Bool {
        switch (container, member) {
        case (.s(let text), .s(let part)): return part.isEmpty || containsBytes(Array(text.utf8), Array(part.utf8))
        case (.b(let bytes), .b(let part)): return part.isEmpty || containsBytes(bytes, part)
        case (.ss(let set), .s(let value)): return set.contains(value)
        case (.ns(let set), .n(let value)): return set.contains(value)
        case (.bs(let set), .b(let value)): return set.contains(value)
        case (.l(let list), _): return list.contains { equal($0, member) }
        default: return false
        }
    }

    static func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
