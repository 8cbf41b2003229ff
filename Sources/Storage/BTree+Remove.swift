extension BTree {
    /// Removes the entry under `key`; returns its value.
    @discardableResult
    package mutating func remove(_ key: [UInt8]) -> Value? {
        let removed = Self.remove(key, from: root, minimumKeys: minimumKeys)
        if !root.isLeaf && root.keys.isEmpty { root = root.children[0] }
        if removed != nil { count -= 1 }
        #if SWIFTDYNAMO_INTERNAL_CHECKS
        checkInvariants()
        #endif
        return removed
    }

    private static func remove(_ key: [UInt8], from node: Node, minimumKeys: Int) -> Value? {
        if node.isLeaf {
            let (index, found) = search(key, in: node.keys)
            guard found else { return nil }
            node.keys.remove(at: index)
            return node.values.remove(at: index)
        }
        let index = childIndex(for: key, in: node.keys)
        let child = node.children[index]
        let removed = remove(key, from: child, minimumKeys: minimumKeys)
        if removed != nil && child.keys.count < minimumKeys { rebalance(childAt: index, of: node, minimumKeys: minimumKeys) }
        return removed
    }

    /// Restores the fill of `parent.children[index]` by borrowing from a sibling or merging with one.
    private static func rebalance(childAt index: Int, of parent: Node, minimumKeys: Int) {
        let child = parent.children[index]
        if index > 0, parent.children[index - 1].keys.count > minimumKeys {
            let left = parent.children[index - 1]
            if child.isLeaf {
                child.keys.insert(left.keys.removeLast(), at: 0)
                child.values.insert(left.values.removeLast(), at: 0)
                parent.keys[index - 1] = child.keys[0]
            } else {
                child.keys.insert(parent.keys[index - 1], at: 0)
                child.children.insert(left.children.removeLast(), at: 0)
                parent.keys[index - 1] = left.keys.removeLast()
            }
            return
        }
        if index + 1 < parent.children.count, parent.children[index + 1].keys.count > minimumKeys {
            let right = parent.children[index + 1]
            if child.isLeaf {
                child.keys.append(right.keys.removeFirst())
                child.values.append(right.values.removeFirst())
                parent.keys[index] = right.keys[0]
            } else {
                child.keys.append(parent.keys[index])
                child.children.append(right.children.removeFirst())
                parent.keys[index] = right.keys.removeFirst()
            }
            return
        }
        // Merge with a sibling: the left one of the pair absorbs the right one.
        let leftIndex = index > 0 ? index - 1 : index
        let left = parent.children[leftIndex]
        let right = parent.children[leftIndex + 1]
        if left.isLeaf {
            left.keys.append(contentsOf: right.keys)
            left.values.append(contentsOf: right.values)
        } else {
            left.keys.append(parent.keys[leftIndex])
            left.keys.append(contentsOf: right.keys)
            left.children.append(contentsOf: right.children)
        }
        parent.keys.remove(at: leftIndex)
        parent.children.remove(at: leftIndex + 1)
    }
}
