import DynamoModel
import Locking

/// One shard of a table: a B-tree of composite item keys behind its own lock.
///
/// Thread safety: `state` is a readers–writer lock (reads share it, writes are exclusive); lock order is catalog → shard → table change log (see `Table`).
/// Invariants: `itemCount` and `sizeInBytes` equal the tree's entry count and the sum of its items' sizes.
package final class Shard: Sendable {
    /// The B-tree's nodes are reachable only through this Mutex.
    struct State: @unchecked Sendable {
        var tree: BTree<StoredItem>
        var sizeInBytes = 0
    }

    let state: ReadWriteLock<State>

    init(nodeCapacity: Int) {
        state = ReadWriteLock(State(tree: BTree(capacity: nodeCapacity)))
    }
}
