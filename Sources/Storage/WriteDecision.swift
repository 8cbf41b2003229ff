import DynamoModel

/// What a read-modify-write closure decides, having seen the current item under the shard lock.
package enum WriteDecision: Sendable {
    /// Store this item (insert or replace).
    case put(Item)
    /// Remove the item (a no-op when it does not exist; still no change record then).
    case delete
    /// Change nothing and record nothing.
    case unchanged
}

/// The item before and after a write.
package struct WriteOutcome: Sendable {
    package var oldItem: Item?
    package var newItem: Item?

    package init(oldItem: Item?, newItem: Item?) {
        self.oldItem = oldItem
        self.newItem = newItem
    }
}
