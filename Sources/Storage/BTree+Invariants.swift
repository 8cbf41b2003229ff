extension BTree {
    /// Verifies every structural invariant (see `BTree`); a violation is a bug, so it traps.
    package func checkInvariants() {
        var leafDepth: Int?
        var entries = 0
        func check(_ node: Node, depth: Int, lower: [UInt8]?, upper: [UInt8]?, isRoot: Bool) {
            precondition(node.keys.count <= capacity, "node over capacity")
            precondition(node.keys.prefixes == node.keys.map(BTreeKeys.prefix(of:)), "key prefixes out of step")
            if !isRoot { precondition(node.keys.count >= minimumKeys, "node under minimum fill") }
            for index in node.keys.indices.dropFirst() {
                precondition(Self.less(node.keys[index - 1], node.keys[index]), "keys out of order")
            }
            if let lower, let first = node.keys.first { precondition(!Self.less(first, lower), "key below its range") }
            if let upper, let last = node.keys.last { precondition(Self.less(last, upper), "key above its range") }
            if node.isLeaf {
                precondition(node.values.count == node.keys.count, "leaf values and keys differ in number")
                if let leafDepth { precondition(leafDepth == depth, "leaves at different depths") } else { leafDepth = depth }
                entries += node.keys.count
                return
            }
            precondition(node.children.count == node.keys.count + 1, "internal node fan-out mismatch")
            for (index, child) in node.children.enumerated() {
                check(child, depth: depth + 1, lower: index == 0 ? lower : node.keys[index - 1],
                      upper: index == node.keys.count ? upper : node.keys[index], isRoot: false)
            }
        }
        check(root, depth: 0, lower: nil, upper: nil, isRoot: true)
        precondition(entries == count, "entry count mismatch")
    }
}
