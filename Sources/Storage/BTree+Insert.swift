extension BTree {
    /// Stores `value` under `key`; returns the value it replaced.
    @discardableResult
    package mutating func insert(_ value: Value, for key: [UInt8]) -> Value? {
        let (replaced, split) = Self.insert(value, for: key, into: root, capacity: capacity)
        if let split {
            root = Node(keys: BTreeKeys([split.separator]), children: [root, split.right])
        }
        if replaced == nil { count += 1 }
        #if SWIFTDYNAMO_INTERNAL_CHECKS
        checkInvariants()
        #endif
        return replaced
    }

    private static func insert(_ value: Value, for key: [UInt8], into node: Node, capacity: Int)
        -> (replaced: Value?, split: (separator: [UInt8], right: Node)?)
    {
        if node.isLeaf {
            let (index, found) = search(key, in: node.keys)
            if found {
                let old = node.values[index]
                node.values[index] = value
                return (old, nil)
            }
            node.keys.insert(key, at: index)
            node.values.insert(value, at: index)
            guard node.keys.count > capacity else { return (nil, nil) }
            let middle = node.keys.count / 2
            let right = Node(keys: node.keys.split(at: middle), values: Array(node.values[middle...]))
            node.values.removeSubrange(middle...)
            return (nil, (right.keys[0], right))
        }
        let index = childIndex(for: key, in: node.keys)
        let (replaced, split) = insert(value, for: key, into: node.children[index], capacity: capacity)
        guard let split else { return (replaced, nil) }
        node.keys.insert(split.separator, at: index)
        node.children.insert(split.right, at: index + 1)
        guard node.keys.count > capacity else { return (replaced, nil) }
        // Internal split: the middle separator moves up.
        let middle = node.keys.count / 2
        let separator = node.keys[middle]
        let right = Node(keys: node.keys.split(at: middle + 1), children: Array(node.children[(middle + 1)...]))
        node.keys.removeLast()
        node.children.removeSubrange((middle + 1)...)
        return (replaced, (separator, right))
    }
}
