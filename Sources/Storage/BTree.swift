/// An ordered map from byte-string keys (unsigned lexicographic order) to values: a B+-tree whose leaves hold the
/// entries and whose internal nodes hold separators.
///
/// Invariants (checked by `checkInvariants()` under SWIFTDYNAMO_INTERNAL_CHECKS):
/// - keys within a node are strictly increasing;
/// - internal node: children.count == keys.count + 1, and every key in children[i] < keys[i] <= every key in
///   children[i + 1];
/// - every node but the root holds at least `minimumKeys` keys and at most `capacity`;
/// - all leaves are at the same depth; `count` is the number of entries.
///
/// Thread safety: none; a shard's lock guards its tree. Copies share nodes (no copy-on-write): each tree has one owner.
package struct BTree<Value> {
    final class Node {
        var keys: BTreeKeys
        var values: [Value]
        var children: [Node]

        var isLeaf: Bool { children.isEmpty }

        init(keys: BTreeKeys = BTreeKeys(), values: [Value] = [], children: [Node] = []) {
            self.keys = keys
            self.values = values
            self.children = children
        }
    }

    var root = Node()
    /// Most keys a node holds before it splits.
    package let capacity: Int
    /// Number of entries.
    package internal(set) var count = 0

    var minimumKeys: Int { capacity / 2 }

    /// - Precondition: capacity >= 2.
    package init(capacity: Int = 64) {
        precondition(capacity >= 2, "a B-tree node must hold at least two keys")
        self.capacity = capacity
    }

    /// The value stored under `key`.
    package func value(for key: [UInt8]) -> Value? {
        var node = root
        while !node.isLeaf { node = node.children[Self.childIndex(for: key, in: node.keys)] }
        let (index, found) = Self.search(key, in: node.keys)
        return found ? node.values[index] : nil
    }

    /// Index of the child that may hold `key`: the number of separators <= key.
    static func childIndex(for key: [UInt8], in keys: BTreeKeys) -> Int {
        let prefix = BTreeKeys.prefix(of: key)
        return keys.prefixes.withUnsafeBufferPointer { prefixes in
            var low = 0
            var high = prefixes.count
            while low < high {
                let middle = (low + high) / 2
                let keyIsLess = prefix != prefixes[middle] ? prefix < prefixes[middle] : Self.less(key, keys[middle])
                if keyIsLess { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }

    /// Binary search: the first index whose key is >= `key`, and whether it equals `key`.
    static func search(_ key: [UInt8], in keys: BTreeKeys) -> (index: Int, found: Bool) {
        let prefix = BTreeKeys.prefix(of: key)
        let low = keys.prefixes.withUnsafeBufferPointer { prefixes in
            var low = 0
            var high = prefixes.count
            while low < high {
                let middle = (low + high) / 2
                let middleIsLess = prefix != prefixes[middle] ? prefixes[middle] < prefix : Self.less(keys[middle], key)
                if middleIsLess { low = middle + 1 } else { high = middle }
            }
            return low
        }
        return (low, low < keys.count && keys.prefixes[low] == prefix && keys[low] == key)
    }

    /// Unsigned lexicographic order.
    @inline(__always)
    static func less(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right in
                let shared = min(left.count, right.count)
                if shared > 0, let l = left.baseAddress, let r = right.baseAddress {
                    let order = memcmp(l, r, shared)
                    if order != 0 { return order < 0 }
                }
                return left.count < right.count
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
