import DynamoModel
import Expressions
import Storage

/// One write of one item, as every write path describes it: PutItem, UpdateItem, DeleteItem, BatchWriteItem,
/// TransactWriteItems, the PartiQL statements (alone, batched or in a transaction) and imports. Each builds an
/// `ItemWrite`, runs `prepare()` before taking any lock, and hands `decide(_:settings:)` to `Table.write` or
/// `Transactions.write`: one decision step and one item-rules check for all of them.
struct ItemWrite {
    enum Action {
        /// Store this whole item (insert or replace).
        case put(Item)
        /// Apply an update to the current item, or to the key alone when there is none.
        case update(UpdateExpression, keyMap: Item)
        /// Remove the item (nothing happens when it does not exist).
        case delete
        /// Check the condition only (TransactWriteItems ConditionCheck, PartiQL EXISTS).
        case check
    }

    /// What happens when the item does not exist, before the condition is looked at.
    enum WhenMissing {
        /// Evaluate the condition on no item (DynamoDB's item operations).
        case evaluate
        /// Fail with this error (PartiQL UPDATE needs an existing item).
        case fail(DynamoError)
        /// Do nothing, whatever the condition (PartiQL DELETE of a missing item).
        case skip
    }

    var table: Table
    var key: EncodedKey
    var action: Action
    var condition = WriteCondition(condition: nil)
    var returnValuesOnFailure: String?
    var whenMissing = WhenMissing.evaluate
    /// The error when the item already exists (PartiQL INSERT: DuplicateItemException).
    var failsWhenPresent: DynamoError?

    /// The rules that need no current item (a whole item's index keys and size), checked before any lock is taken
    /// so that a batch or a transaction is refused before any of it is applied.
    func prepare() throws(RuleViolation) {
        if case .put(let item) = action { try ItemRules.check(item, in: table, origin: .item) }
    }

    /// The decision on the current item, taken under the item's shard lock (all of a transaction's locks).
    func decide(_ current: Item?, settings: APISettings) throws(DynamoError) -> WriteDecision {
        if current == nil {
            switch whenMissing {
            case .evaluate: break
            case .fail(let error): throw error
            case .skip: return .unchanged
            }
        } else if let failsWhenPresent {
            throw failsWhenPresent
        }
        try condition.verify(current, returnValuesOnFailure: returnValuesOnFailure)
        switch action {
        case .put(let item):
            try ItemCollections.checkLimit(table: table, key: key, oldItem: current, newItem: item, settings: settings)
            return .put(item)
        case .update(let update, let keyMap):
            // An update of a missing item that only removes attributes or deletes set elements creates nothing.
            if current == nil && update.onlyRemoves { return .unchanged }
            let updated = try update.apply(to: current ?? keyMap)
            do throws(RuleViolation) {
                try ItemRules.check(updated, in: table, origin: .update)
            } catch {
                throw error.error
            }
            try ItemCollections.checkLimit(table: table, key: key, oldItem: current, newItem: updated, settings: settings)
            return .put(updated)
        case .delete:
            return current == nil ? .unchanged : .delete
        case .check:
            return .unchanged
        }
    }

    /// Runs the write on its own, atomically under its shard lock.
    func apply(settings: APISettings, seen: inout Item?) throws(DynamoError) -> WriteOutcome {
        try table.write(key) { (current: Item?) throws(DynamoError) -> WriteDecision in
            seen = current
            return try decide(current, settings: settings)
        }
    }

    /// `prepare()` for a write that is not part of a transaction: every violation fails the request.
    func prepareAlone() throws(DynamoError) {
        do throws(RuleViolation) {
            try prepare()
        } catch {
            throw error.error
        }
    }
}

extension UpdateExpression {
    /// True when every action removes an attribute or deletes set elements (and there is at least one): applied to
    /// a missing item, such an update leaves no item behind, as in DynamoDB.
    var onlyRemoves: Bool {
        !actions.isEmpty && actions.allSatisfy { action in
            switch action {
            case .remove, .delete: return true
            case .set, .add: return false
            }
        }
    }
}

extension ItemWrite {
    /// An imported item's put (ImportTable, `swiftdynamo import`): the table's key and the item rules as for
    /// PutItem; an item that breaks one is left out of the import with DynamoDB's message.
    static func importing(_ item: Item, into table: Table) throws(DynamoError) -> ItemWrite {
        let write = ItemWrite(table: table, key: try table.keySchema.encodedKey(of: item, source: .putItem),
                              action: .put(item))
        try write.prepareAlone()
        return write
    }
}
