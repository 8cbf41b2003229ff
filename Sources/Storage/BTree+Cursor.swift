/// Ordered traversal from a starting point, in either direction, stopping when the visitor says so.
extension BTree {
    /// Where a traversal starts.
    package enum Start {
        /// The smallest key (forward) or the largest (backward).
        case end
        /// At `key`: forward visits keys >= key (or > when not inclusive); backward visits keys <= key (or <).
        case key([UInt8], inclusive: Bool)
    }

    /// Visits entries in key order (or reverse) from `start` until `visit` returns false.
    package func forEach(from start: Start, forward: Bool, _ visit: ([UInt8], Value) -> Bool) {
        _ = Self.walk(root, from: start, forward: forward, visit)
    }

    /// Returns false once the visitor stopped the walk.
    private static func walk(_ node: Node, from start: Start, forward: Bool, _ visit: ([UInt8], Value) -> Bool) -> Bool {
        if node.isLeaf {
            if forward {
                var index = 0
                if case .key(let key, let inclusive) = start {
                    let (position, found) = search(key, in: node.keys)
                    index = found && !inclusive ? position + 1 : position
                }
                while index < node.keys.count {
                    if !visit(node.keys[index], node.values[index]) { return false }
                    index += 1
                }
            } else {
                var index = node.keys.count - 1
                if case .key(let key, let inclusive) = start {
                    let (position, found) = search(key, in: node.keys)
                    index = found && inclusive ? position : position - 1
                }
                while index >= 0 {
                    if !visit(node.keys[index], node.values[index]) { return false }
                    index -= 1
                }
            }
            return true
        }
        let first: Int
        if case .key(let key, _) = start {
            first = childIndex(for: key, in: node.keys)
        } else {
            first = forward ? 0 : node.children.count - 1
        }
        if forward {
            for index in first..<node.children.count {
                if !walk(node.children[index], from: index == first ? start : .end, forward: true, visit) { return false }
            }
        } else {
            for index in stride(from: first, through: 0, by: -1) {
                if !walk(node.children[index], from: index == first ? start : .end, forward: false, visit) { return false }
            }
        }
        return true
    }
}
