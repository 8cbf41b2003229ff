import DynamoModel
import Expressions

/// DynamoDB reads a WHERE made of OR branches as one key range per branch and refuses branches whose ranges in the
/// same partition overlap ("Overlapping conditions with range keys are not supported in where clause"). A branch
/// without a sort-key condition covers its whole partition, so it overlaps any ranged branch of that partition.
/// When a branch constrains the sort key in a way that is no key range (negated, `<>`, `IN`), DynamoDB does not
/// decompose the statement and nothing is refused.
package enum OverlapCheck {
    static let refusal = DynamoError.validation("Overlapping conditions with range keys are not supported in where clause")

    package static func check(_ condition: Condition?, schema: KeySchema) throws(DynamoError) {
        guard let condition, let sortKey = schema.sortKey else { return }
        let branches = disjuncts(condition)
        guard branches.count > 1 else { return }
        var ranges: [(partition: AttributeValue, range: SortKeyCondition?)] = []
        for branch in branches {
            let terms = ReadPlanner.conjuncts(branch)
            let partitions = terms.compactMap { ReadPlanner.partitionValues($0, name: schema.partitionKey.name) }
            guard partitions.count == 1, partitions[0].count == 1 else { return }
            let sortTerms = terms.filter { mentions($0, sortKey.name) }
            guard sortTerms.count <= 1 else { return }
            var range: SortKeyCondition?
            if let term = sortTerms.first {
                guard let planned = ReadPlanner.sortCondition(term, key: sortKey) else { return }
                range = planned
            }
            ranges.append((partitions[0][0], range))
        }
        for (index, first) in ranges.enumerated() {
            for second in ranges[(index + 1)...] where Evaluator.equal(first.partition, second.partition) {
                guard first.range != nil || second.range != nil else { continue }
                if intersects(first.range, second.range) { throw refusal }
            }
        }
    }

    static func disjuncts(_ condition: Condition) -> [Condition] {
        if case .or(let left, let right) = condition { return disjuncts(left) + disjuncts(right) }
        return [condition]
    }

    /// Whether a term refers to the attribute anywhere.
    static func mentions(_ condition: Condition, _ name: String) -> Bool {
        func operand(_ value: Operand) -> Bool {
            switch value {
            case .path(let path), .size(let path): return path.rootName == name
            case .value: return false
            }
        }
        switch condition {
        case .compare(let a, _, let b), .beginsWith(let a, let b), .contains(let a, let b), .notContains(let a, let b):
            return operand(a) || operand(b)
        case .between(let a, let b, let c): return operand(a) || operand(b) || operand(c)
        case .isIn(let a, let list): return operand(a) || list.contains(where: operand)
        case .attributeExists(let path), .attributeNotExists(let path): return path.rootName == name
        case .attributeType(let path, let type): return path.rootName == name || operand(type)
        case .and(let a, let b), .or(let a, let b): return mentions(a, name) || mentions(b, name)
        case .not(let inner): return mentions(inner, name)
        }
    }

    typealias Bound = (value: AttributeValue, inclusive: Bool)

    /// A sort-key condition as an interval (nil bounds are open ends); `begins_with(p)` spans the strings or
    /// binaries that start with p.
    static func interval(_ range: SortKeyCondition?) -> (lower: Bound?, upper: Bound?) {
        guard let range else { return (nil, nil) }
        switch range {
        case .equal(let v): return ((v, true), (v, true))
        case .less(let v): return (nil, (v, false))
        case .lessOrEqual(let v): return (nil, (v, true))
        case .greater(let v): return ((v, false), nil)
        case .greaterOrEqual(let v): return ((v, true), nil)
        case .between(let low, let high): return ((low, true), (high, true))
        case .beginsWith(let prefix):
            switch prefix {
            case .s(let text): return ((prefix, true), (.s(text + "\u{10FFFF}\u{10FFFF}\u{10FFFF}\u{10FFFF}"), true))
            case .b(let bytes): return ((prefix, true), (.b(bytes + [UInt8](repeating: 0xFF, count: 16)), true))
            default: return ((prefix, true), nil)
            }
        }
    }

    static func intersects(_ first: SortKeyCondition?, _ second: SortKeyCondition?) -> Bool {
        let a = interval(first)
        let b = interval(second)
        return below(a.lower, b.upper) && below(b.lower, a.upper)
    }

    /// Whether a lower bound lies at or below an upper bound (so the interval between them is not empty).
    static func below(_ lower: Bound?, _ upper: Bound?) -> Bool {
        guard let lower, let upper else { return true }
        guard let order = Evaluator.order(lower.value, upper.value) else { return true }
        if order < 0 { return true }
        return order == 0 && lower.inclusive && upper.inclusive
    }
}
