import DynamoModel
import Synchronization

/// The catalog's change sink when backups and point-in-time recovery are on: passes everything to the durable store
/// (if any) and hands each table's change records to the observers registered for that table.
///
/// Thread safety: observers are called under the writer's shard lock (as every sink is), while `observers` is held;
/// they must only buffer what they receive and never call back into Storage.
package final class ChangeFanOut: ChangeSink {
    /// A registration, to end it with `stopObserving`.
    package struct Token: Sendable, Hashable {
        let tableId: String
        let number: UInt64
    }

    /// Receives one table's change records: one write's, or a transaction's part for that table.
    package typealias Observer = @Sendable ([ChangeRecord]) -> Void

    private let inner: (any ChangeSink)?
    private let deletionObservers = Mutex<[@Sendable (String) -> Void]>([])
    private let observers = Mutex<(next: UInt64, byTable: [String: [UInt64: Observer]])>((0, [:]))

    package init(forwardingTo inner: (any ChangeSink)?) {
        self.inner = inner
    }

    /// Calls `observer` with every later change of the table (a transaction's changes of one table arrive together).
    package func observe(tableId: String, _ observer: @escaping Observer) -> Token {
        observers.withLock { state in
            state.next += 1
            state.byTable[tableId, default: [:]][state.next] = observer
            return Token(tableId: tableId, number: state.next)
        }
    }

    /// Calls `observer` with the table id of every table deleted from now on (outside every table lock).
    package func observeDeletions(_ observer: @escaping @Sendable (String) -> Void) {
        deletionObservers.withLock { $0.append(observer) }
    }

    package func stopObserving(_ token: Token) {
        observers.withLock { state in
            state.byTable[token.tableId]?[token.number] = nil
            if state.byTable[token.tableId]?.isEmpty == true { state.byTable[token.tableId] = nil }
        }
    }

    private func notify(_ tableId: String, _ records: [ChangeRecord]) {
        observers.withLock { state in
            guard let table = state.byTable[tableId] else { return }
            for observer in table.values { observer(records) }
        }
    }

    package func append(_ record: ChangeRecord) {
        inner?.append(record)
        notify(record.tableId, [record])
    }

    package func appendTransaction(_ records: [ChangeRecord]) {
        inner?.appendTransaction(records)
        var byTable: [String: [ChangeRecord]] = [:]
        for record in records { byTable[record.tableId, default: []].append(record) }
        for (tableId, changes) in byTable { notify(tableId, changes) }
    }

    package func tableDefinitionChanged(_ definition: TableDefinition, in namespace: Namespace) {
        inner?.tableDefinitionChanged(definition, in: namespace)
    }

    package func tableDeleted(named name: String, tableId: String, in namespace: Namespace) {
        inner?.tableDeleted(named: name, tableId: tableId, in: namespace)
        for observer in deletionObservers.withLock({ $0 }) { observer(tableId) }
    }

    package func awaitDurability() -> Bool { inner?.awaitDurability() ?? true }

    package func notifyWhenDurable(_ done: @escaping @Sendable (Bool) -> Void) {
        guard let inner else { return done(true) }
        inner.notifyWhenDurable(done)
    }
}
