import TestSupport
import Testing
@testable import Storage

@Suite("B-tree against a sorted-array model")
struct BTreeTests {
    /// A sorted array of (key, value): the obviously correct model.
    struct Model {
        var entries: [([UInt8], Int)] = []

        func index(of key: [UInt8]) -> (Int, Bool) {
            var low = 0
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                if entries[middle].0.lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
            }
            return (low, low < entries.count && entries[low].0 == key)
        }

        mutating func insert(_ value: Int, for key: [UInt8]) -> Int? {
            let (index, found) = index(of: key)
            if found {
                let old = entries[index].1
                entries[index].1 = value
                return old
            }
            entries.insert((key, value), at: index)
            return nil
        }

        mutating func remove(_ key: [UInt8]) -> Int? {
            let (index, found) = index(of: key)
            guard found else { return nil }
            return entries.remove(at: index).1
        }
    }

    static func randomKey(_ generator: inout SeededGenerator) -> [UInt8] {
        // Short keys over a small alphabet: many collisions, shared prefixes and empty keys.
        let length = Int.random(in: 0...3, using: &generator)
        return (0..<length).map { _ in UInt8.random(in: 0...5, using: &generator) * 51 }
    }

    /// Keys around the four bytes a node compares first: equal first bytes that differ after them, keys that end
    /// inside them, and zero bytes that tie with the padding of shorter keys.
    static func randomLongKey(_ generator: inout SeededGenerator) -> [UInt8] {
        let head: [UInt8] = [0, 0, 0, UInt8.random(in: 0...1, using: &generator), 0, 0, 0,
                             UInt8.random(in: 0...1, using: &generator)]
        let length = Int.random(in: 2...11, using: &generator)
        return Array((head + (0..<3).map { _ in UInt8.random(in: 0...2, using: &generator) * 127 }).prefix(length))
    }

    @Test("Random inserts, replaces and removes agree with the model",
          arguments: [(2, false), (3, false), (4, false), (64, false), (3, true), (64, true)])
    func randomOperations(capacity: Int, longKeys: Bool) {
        var generator = SeededGenerator(state: UInt64(capacity))
        var tree = BTree<Int>(capacity: capacity)
        var model = Model()
        for step in 0..<4000 {
            let key = longKeys ? Self.randomLongKey(&generator) : Self.randomKey(&generator)
            if Bool.random(using: &generator) || Int.random(in: 0..<3, using: &generator) == 0 {
                #expect(tree.insert(step, for: key) == model.insert(step, for: key))
            } else {
                #expect(tree.remove(key) == model.remove(key))
            }
            tree.checkInvariants()
            #expect(tree.count == model.entries.count)
            if step % 97 == 0 { checkTraversals(tree, model, &generator) }
        }
        // Drain completely: merges all the way to an empty root.
        for (key, value) in model.entries { #expect(tree.remove(key) == value) }
        tree.checkInvariants()
        #expect(tree.count == 0)
    }

    func checkTraversals(_ tree: BTree<Int>, _ model: Model, _ generator: inout SeededGenerator) {
        var forward: [[UInt8]] = []
        tree.forEach(from: .end, forward: true) { key, _ in forward.append(key); return true }
        #expect(forward == model.entries.map(\.0))
        var backward: [[UInt8]] = []
        tree.forEach(from: .end, forward: false) { key, _ in backward.append(key); return true }
        #expect(backward == model.entries.map(\.0).reversed())
        let bound = Bool.random(using: &generator) ? Self.randomLongKey(&generator) : Self.randomKey(&generator)
        let inclusive = Bool.random(using: &generator)
        var fromBound: [[UInt8]] = []
        tree.forEach(from: .key(bound, inclusive: inclusive), forward: true) { key, _ in fromBound.append(key); return true }
        #expect(fromBound == model.entries.map(\.0).filter {
            inclusive ? !$0.lexicographicallyPrecedes(bound) : bound.lexicographicallyPrecedes($0)
        })
        var beforeBound: [[UInt8]] = []
        tree.forEach(from: .key(bound, inclusive: inclusive), forward: false) { key, _ in beforeBound.append(key); return true }
        #expect(beforeBound == model.entries.map(\.0).filter {
            inclusive ? !bound.lexicographicallyPrecedes($0) : $0.lexicographicallyPrecedes(bound)
        }.reversed())
        for (key, value) in model.entries.prefix(20) { #expect(tree.value(for: key) == value) }
    }

    @Test("A visitor can stop a walk early")
    func earlyStop() {
        var tree = BTree<Int>(capacity: 2)
        for value in 0..<100 { tree.insert(value, for: [UInt8(value)]) }
        var seen = 0
        tree.forEach(from: .end, forward: true) { _, _ in seen += 1; return seen < 10 }
        #expect(seen == 10)
    }
}
