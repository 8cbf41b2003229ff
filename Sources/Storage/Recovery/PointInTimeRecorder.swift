import DynamoModel
import Synchronization

/// Point-in-time recovery for every table that has it on: keeps each one's history (see `PointInTimeHistory`) fed
/// from the change log, across restarts, and answers "the table as it stood at time T".
///
/// Thread safety: one Mutex over all histories; change records arrive under writers' shard locks and only append.
/// Lock order: shard → fan-out observers → histories.
package final class PointInTimeRecorder: Sendable {
    private enum State {
        /// Recovery is being enabled: the base image is being taken; changes wait here.
        case pending([[ChangeRecord]])
        case ready(PointInTimeHistory, ChangeFanOut.Token?)
    }

    private let fanOut: ChangeFanOut
    private let directory: String?
    private let cipher: RecordCipher?
    private let states = Mutex<[String: State]>([:])

    /// `directory` holds one folder per table id; nil keeps histories in memory only.
    package init(fanOut: ChangeFanOut, directory: String?, encryptionKey: [UInt8]? = nil) {
        self.fanOut = fanOut
        self.directory = directory
        cipher = encryptionKey.map(RecordCipher.init(key:))
        // A deleted table's history goes with it.
        fanOut.observeDeletions { [weak self] tableId in self?.disable(tableId: tableId) }
    }

    private func receive(_ tableId: String, _ changes: [ChangeRecord]) {
        states.withLock { states in
            switch states[tableId] {
            case .pending(var groups):
                groups.append(changes)
                states[tableId] = .pending(groups)
            case .ready(let history, _):
                history.append(changes)
            case nil:
                break
            }
        }
    }

    private func observe(_ tableId: String) -> ChangeFanOut.Token {
        fanOut.observe(tableId: tableId) { [self] changes in receive(tableId, changes) }
    }

    /// Starts a history from a consistent image of the table; returns the earliest instant it can restore.
    package func enable(_ table: Table, now: () -> Double) throws(DurabilityError) -> Double {
        let tableId = table.tableId
        disable(tableId: tableId)
        states.withLock { $0[tableId] = .pending([]) }
        let token = observe(tableId)
        let image = ConsistentSnapshot.capture(table, observing: fanOut)
        let earliest = now()
        let history: PointInTimeHistory
        do throws(FileSystemError) {
            history = try PointInTimeHistory(base: image, directory: directory.map { "\($0)/\(tableId)" }, cipher: cipher)
        } catch {
            fanOut.stopObserving(token)
            states.withLock { $0[tableId] = nil }
            throw .io(error.description)
        }
        states.withLock { states in
            if case .pending(let groups) = states[tableId] { for group in groups { history.append(group) } }
            states[tableId] = .ready(history, token)
        }
        return earliest
    }

    /// Ends a table's history and deletes it.
    package func disable(tableId: String) {
        let removed = states.withLock { $0.removeValue(forKey: tableId) }
        if case .ready(let history, let token) = removed {
            if let token { fanOut.stopObserving(token) }
            history.close(removeFiles: true)
        }
    }

    /// The table as it stood at `time`, or nil when it has no history.
    package func image(tableId: String, at time: Double) -> TableImage? {
        states.withLock { states -> TableImage? in
            guard case .ready(let history, _) = states[tableId] else { return nil }
            return history.image(at: time)
        }
    }

    /// The keys changed in (from, to] with the time of each one's last change then; nil without a history.
    package func changedKeys(tableId: String, after from: Double, through to: Double) -> [EncodedKey: Double]? {
        states.withLock { states -> [EncodedKey: Double]? in
            guard case .ready(let history, _) = states[tableId] else { return nil }
            return history.changedKeys(after: from, through: to)
        }
    }

    /// Folds what lies before each table's recovery period into its history's base, so that histories stay as
    /// long as the period and no longer. Runs under the histories' lock (writers to these tables wait meanwhile).
    package func trimExpired(_ catalog: Catalog, now: Double) {
        var cutoffs: [String: Double] = [:]
        for table in catalog.allTables() {
            if let settings = table.definition.pointInTimeRecovery, settings.enabled {
                cutoffs[table.tableId] = now - Double(settings.recoveryPeriodInDays) * 86_400
            }
        }
        states.withLock { states in
            for (tableId, cutoff) in cutoffs {
                if case .ready(let history, _) = states[tableId] { _ = try? history.trim(before: cutoff) }
            }
        }
    }

    /// Makes every history's change file durable (the checkpoint is about to drop the WAL that also holds them).
    package func sync() {
        states.withLock { states in
            for case .ready(let history, _) in states.values { history.sync() }
        }
    }

    // MARK: - Restart

    /// Before WAL recovery: loads the histories written before the restart.
    package func loadPersisted() throws(DurabilityError) {
        guard let directory else { return }
        do throws(FileSystemError) { try FileSystem.createDirectory(directory) } catch { throw .io(error.description) }
        for tableId in (try? FileSystem.list(directory)) ?? [] {
            let folder = "\(directory)/\(tableId)"
            guard (try? FileSystem.readFile("\(folder)/base.snap")) != nil else {
                // Enabling was interrupted before the base existed: nothing to keep.
                FileSystem.remove("\(folder)/changes.log")
                _ = rmdirPath(folder)
                continue
            }
            let history = try PointInTimeHistory(loading: folder, cipher: cipher)
            states.withLock { $0[tableId] = .ready(history, nil) }
        }
    }

    /// During WAL recovery: adds a replayed record to its table's history when the history lacks it.
    package func replayed(_ record: LogRecord) {
        let changes: [ChangeRecord]
        switch record {
        case .item(let change): changes = [change]
        case .transaction(let group): changes = group
        default: return
        }
        var byTable: [String: [ChangeRecord]] = [:]
        for change in changes { byTable[change.tableId, default: []].append(change) }
        states.withLock { states in
            for (tableId, group) in byTable {
                if case .ready(let history, _) = states[tableId] { history.append(group) }
            }
        }
    }

    /// After recovery: follows every table that has recovery on (starting afresh where the history was lost) and
    /// deletes histories no table needs. Returns the tables whose history had to start again.
    @discardableResult
    package func resume(_ catalog: Catalog, now: () -> Double) -> [Table] {
        var restarted: [Table] = []
        var wanted = Set<String>()
        for table in catalog.allTables() where table.definition.pointInTimeRecovery?.enabled == true {
            wanted.insert(table.tableId)
            let sequence = table.lastSequenceNumber
            let loaded = states.withLock { states -> Bool in
                guard case .ready(let history, nil) = states[table.tableId] else { return false }
                do { try history.truncate(after: sequence) } catch { return false }
                return true
            }
            if loaded {
                // Nothing writes before the server starts listening: observing now misses no change.
                let token = observe(table.tableId)
                states.withLock { states in
                    if case .ready(let history, nil) = states[table.tableId] { states[table.tableId] = .ready(history, token) }
                }
            }
            if !loaded, let earliest = try? enable(table, now: now) {
                table.updateDefinition { $0.pointInTimeRecovery?.enabledDateTime = earliest }
                restarted.append(table)
            }
        }
        let unwanted = states.withLock { states in states.keys.filter { !wanted.contains($0) } }
        for tableId in unwanted { disable(tableId: tableId) }
        return restarted
    }
}
