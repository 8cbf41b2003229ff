import Dispatch
import Locking

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write-ahead log: records appended under shard locks, then written and synced in batches (group commit: every
/// writer waiting at the time of a sync shares it).
///
/// Who does the I/O depends on the policy. With `fsync`, the waiting writers do it themselves: the first to find no
/// commit running leads one (writes everything pending, syncs, releases every writer it covered, and wakes one it did
/// not cover to lead the next). A lone writer therefore commits on its own thread: no hand-off to another thread and
/// back, which cost about as much as the sync itself on a busy 2-core machine. With `batch` and `none`, nobody waits
/// for the sync, so a background flusher writes.
///
/// Segments are preallocated a megabyte at a time (`fallocate`) and written in place: a sync then rarely has to
/// commit a change of the file's size to the file system's journal, which on a busy machine waits for the journal
/// thread to be scheduled (measured under CPU load: 920 µs per append-and-fdatasync, 510 µs preallocated). A
/// finished segment is cut back to its records; a crash leaves zeros after the last record, which recovery reads as
/// the end of the log.
///
/// Files: `wal/SEGMENT.log` (SEGMENT = 16 hex digits, increasing), each in the `RecordFile` format with magic
/// "SDWAL001". Thread safety: all state behind `state`; every write, sync, rotation and close of the segment file
/// holds `io`. Lock order shard → table change log → WAL (`io` before `state`).
/// Invariants: durable ≤ written ≤ appended (positions count records); records reach the file in append order.
package final class WriteAheadLog: Sendable {
    static let magic = "SDWAL001"

    struct State: @unchecked Sendable {
        // Waiters' semaphores are only signalled under this lock.
        var pending: [UInt8] = []
        var appended: UInt64 = 0
        var written: UInt64 = 0
        var durable: UInt64 = 0
        var flushing = false
        var committing = false
        /// A background commit is scheduled (fsync policy): records no writer waits for still reach the disk.
        var commitScheduled = false
        var descriptor: Int32 = -1
        var segment: UInt64 = 0
        /// Where the next record goes in the current segment (the end of its records).
        var segmentBytes = 0
        /// The current segment's size on disk, including preallocated zeros.
        var allocatedBytes = 0
        /// False once the file system refused to preallocate: segments then grow as they are written.
        var preallocates = true
        var bytesSinceCheckpoint = 0
        var waiters: [(position: UInt64, signal: DispatchSemaphore)] = []
        /// Callbacks of `notifyWhenDurable` (fsync and batch policies), called once their position is as durable as
        /// the policy demands.
        var notifications: [(position: UInt64, done: @Sendable (Bool) -> Void)] = []
        /// The flusher is committing for `notifications`.
        var notifying = false
        var lastSync: Int64 = 0
        var failure: String?
        var closed = false
    }

    let directory: String
    let policy: DurabilityPolicy
    let cipher: RecordCipher?
    let segmentLimitBytes: Int
    let batchIntervalMilliseconds: Int
    private let state = Lock(State())
    private let io = Lock(())
    private let flusher = DispatchQueue(label: "swiftdynamo.wal.flusher")

    package init(directory: String, firstSegment: UInt64, policy: DurabilityPolicy, cipher: RecordCipher?,
                 segmentLimitBytes: Int = 64 << 20, batchIntervalMilliseconds: Int = 10) throws(FileSystemError) {
        self.directory = directory
        self.policy = policy
        self.cipher = cipher
        self.segmentLimitBytes = segmentLimitBytes
        self.batchIntervalMilliseconds = batchIntervalMilliseconds
        try FileSystem.createDirectory(directory)
        let descriptor = try Self.openSegment(directory: directory, number: firstSegment, cipher: cipher)
        state.withLock { state in
            state.descriptor = descriptor
            state.segment = firstSegment
            state.segmentBytes = RecordFile.headerSize
            state.allocatedBytes = RecordFile.headerSize
        }
    }

    /// Preallocation step: large enough that the journal sees one size change per megabyte of log, small enough
    /// that recovery reads little past the last record.
    static let preallocationBytes = 1 << 20

    static func segmentPath(_ directory: String, _ number: UInt64) -> String {
        let hex = String(number, radix: 16)
        return "\(directory)/\(String(repeating: "0", count: max(0, 16 - hex.count)))\(hex).log"
    }

    static func segmentNumber(_ fileName: String) -> UInt64? {
        guard fileName.hasSuffix(".log"), fileName.utf8.count == 20 else { return nil }
        return UInt64(fileName.prefix(16), radix: 16)
    }

    private static func openSegment(directory: String, number: UInt64, cipher: RecordCipher?) throws(FileSystemError) -> Int32 {
        let path = segmentPath(directory, number)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError("open", path) }
        try FileSystem.writeAll(descriptor, RecordFile.header(magic: magic, cipher: cipher), path: path)
        try FileSystem.sync(descriptor, path: path)
        try FileSystem.syncDirectory(containing: path)
        return descriptor
    }

    /// Appends a record; returns its position (to wait on). Cheap: encoding and framing only; I/O happens on the
    /// flusher.
    @discardableResult
    package func append(_ record: LogRecord) -> UInt64 {
        var writer = BinaryWriter()
        record.encode(into: &writer)
        let framed = RecordFile.frame(writer.bytes, cipher: cipher)
        let (position, startFlush, scheduleCommit) = state.withLock { state -> (UInt64, Bool, Bool) in
            state.pending.append(contentsOf: framed)
            state.appended += 1
            state.bytesSinceCheckpoint += framed.count
            // Under fsync the writer that waits leads the commit (see `commit(through:)`). Background writers (TTL
            // deletions, status changes, imports) do not wait: a commit scheduled at most once per interval
            // covers them.
            let start = policy != .fsync && !state.flushing
            if start { state.flushing = true }
            let schedule = policy == .fsync && !state.commitScheduled
            if schedule { state.commitScheduled = true }
            return (state.appended, start, schedule)
        }
        if startFlush { flusher.async { self.flush() } }
        if scheduleCommit {
            flusher.asyncAfter(deadline: .now() + .milliseconds(batchIntervalMilliseconds)) { self.commitInBackground() }
        }
        return position
    }

    /// Commits whatever no writer has committed yet (fsync policy; runs on the flusher).
    private func commitInBackground() {
        let target = state.withLock { state -> UInt64 in
            state.commitScheduled = false
            return state.appended
        }
        _ = commit(through: target)
    }

    /// Position of the last appended record.
    package var appendedPosition: UInt64 { state.withLock { $0.appended } }

    /// Position of the last record as durable as the policy demands.
    package var durablePosition: UInt64 { state.withLock { policy == .fsync ? $0.durable : $0.written } }

    /// Bytes logged since the last checkpoint.
    package var bytesSinceCheckpoint: Int { state.withLock { $0.bytesSinceCheckpoint } }

    /// Blocks until the record at `position` is as durable as the policy demands; false when the log failed (the
    /// write must then not be acknowledged).
    @discardableResult
    package func waitUntilDurable(_ position: UInt64) -> Bool {
        if policy == .none { return state.withLock { $0.failure == nil } }
        if policy == .fsync { return commit(through: position) }
        let signal = DispatchSemaphore(value: 0)
        let ready = state.withLock { state -> Bool in
            if state.written >= position || state.failure != nil || state.closed { return true }
            state.waiters.append((position, signal))
            return false
        }
        if !ready { signal.wait() }
        return state.withLock { $0.failure == nil }
    }

    /// Calls `done` once the record at `position` is as durable as the policy demands (true), or the log failed or
    /// closed first (false), without blocking the caller. Under fsync the flusher leads the commits these need, so
    /// every write noticed this way while a sync runs shares the next one; an epoll loop answers its writes so
    /// without a thread waiting per write.
    package func notifyWhenDurable(_ position: UInt64, _ done: @escaping @Sendable (Bool) -> Void) {
        if policy == .none { return done(state.withLock { $0.failure == nil }) }
        let (ready, succeeded, startCommitting) = state.withLock { state -> (Bool, Bool, Bool) in
            let reached = policy == .fsync ? state.durable : state.written
            if reached >= position || state.failure != nil || state.closed {
                return (true, state.failure == nil && reached >= position, false)
            }
            state.notifications.append((position, done))
            // batch: the flusher, started by the append, writes the record and releases the callback.
            guard policy == .fsync else { return (false, true, false) }
            let start = !state.notifying
            state.notifying = true
            return (false, true, start)
        }
        if ready { return done(succeeded) }
        if startCommitting { flusher.async { self.commitForNotifications() } }
    }

    /// The flusher's part for `notifyWhenDurable`: commits until no callback waits (a commit's sync releases them).
    private func commitForNotifications() {
        while true {
            let (target, finished) = state.withLock { state -> (UInt64, Bool) in
                if state.notifications.isEmpty || state.failure != nil || state.closed {
                    state.notifying = false
                    return (0, true)
                }
                return (state.appended, false)
            }
            if finished { return }
            _ = commit(through: target)
        }
    }

    /// Blocks until everything appended so far is durable; false when the log failed.
    @discardableResult
    package func waitForAppended() -> Bool {
        waitUntilDurable(appendedPosition)
    }

    private enum CommitRole {
        case finished
        case follower(DispatchSemaphore)
        case leader
    }

    /// Group commit under the fsync policy: returns once the record at `position` is durable, leading a commit when
    /// none is running; false when the log failed.
    private func commit(through position: UInt64) -> Bool {
        while true {
            let role = state.withLock { state -> CommitRole in
                if state.durable >= position || state.failure != nil || state.closed { return .finished }
                if state.committing {
                    let signal = DispatchSemaphore(value: 0)
                    state.waiters.append((position, signal))
                    return .follower(signal)
                }
                state.committing = true
                return .leader
            }
            switch role {
            case .finished:
                return state.withLock { $0.failure == nil }
            case .follower(let signal):
                signal.wait()
            case .leader:
                io.withLock { _ in
                    writePendingHoldingIO()
                    syncHoldingIO()
                }
                state.withLock { state in
                    state.committing = false
                    // Writers still waiting appended after this batch was taken: wake one to lead the next.
                    if !state.waiters.isEmpty { state.waiters.removeFirst().signal.signal() }
                }
                rotateIfFull()
            }
        }
    }

    /// The background writer of the batch and none policies.
    private func flush() {
        while true {
            let wrote = io.withLock { _ in writePendingHoldingIO() }
            if !wrote {
                let done = state.withLock { state -> Bool in
                    if state.pending.isEmpty {
                        state.flushing = false
                        return true
                    }
                    return false
                }
                if done { return }
                continue
            }
            if policy == .batch {
                let now = Self.milliseconds()
                let due = state.withLock { now - $0.lastSync >= Int64(batchIntervalMilliseconds) }
                if due {
                    syncNow()
                } else {
                    flusher.asyncAfter(deadline: .now() + .milliseconds(batchIntervalMilliseconds)) { self.syncNow() }
                }
            }
            rotateIfFull()
        }
    }

    /// Writes everything pending to the segment and releases the writers that only wait for the write; false when
    /// nothing was pending. The caller holds `io`.
    @discardableResult
    private func writePendingHoldingIO() -> Bool {
        let (batch, target, descriptor, path) = state.withLock { state -> ([UInt8], UInt64, Int32, String) in
            // After close the descriptor is gone (and its number may be reused): drop what is appended late.
            let batch = state.closed ? [] : state.pending
            state.pending.removeAll(keepingCapacity: true)
            return (batch, state.appended, state.descriptor, Self.segmentPath(directory, state.segment))
        }
        if batch.isEmpty { return false }
        let failure = writeHoldingIO(batch, to: descriptor, path: path)
        Self.call(state.withLock { state in
            state.written = max(state.written, target)
            if let failure { state.failure = failure }
            return signalWaiters(&state)
        })
        return true
    }

    /// Writes `bytes` at the end of the current segment's records, preallocating first when they would pass the
    /// end of the file; returns a failure's description. The caller holds `io`.
    private func writeHoldingIO(_ bytes: [UInt8], to descriptor: Int32, path: String) -> String? {
        let (offset, allocated, preallocates) = state.withLock { ($0.segmentBytes, $0.allocatedBytes, $0.preallocates) }
        let end = offset + bytes.count
        if preallocates && end > allocated {
            let length = (end - allocated + Self.preallocationBytes - 1) / Self.preallocationBytes * Self.preallocationBytes
            let reserved = FileSystem.preallocate(descriptor, offset: allocated, length: length)
            state.withLock { state in
                if reserved { state.allocatedBytes = allocated + length } else { state.preallocates = false }
            }
        }
        do throws(FileSystemError) {
            try FileSystem.writeAll(descriptor, bytes, at: offset, path: path)
        } catch {
            return error.description
        }
        state.withLock { state in
            state.segmentBytes = end
            state.allocatedBytes = max(state.allocatedBytes, end)
        }
        return nil
    }

    /// Cuts the current segment back to its records (drops the preallocated zeros) before it is closed.
    private func trimHoldingIO(_ descriptor: Int32, path: String) {
        let (length, allocated) = state.withLock { ($0.segmentBytes, $0.allocatedBytes) }
        guard allocated > length, (try? FileSystem.truncate(descriptor, to: length, path: path)) != nil else { return }
        state.withLock { $0.allocatedBytes = length }
    }

    /// Syncs the current segment and releases every writer whose records it covers.
    private func syncNow() {
        io.withLock { _ in syncHoldingIO() }
    }

    /// `syncNow` for a caller that holds `io`. A data sync suffices: the log only grows, and fdatasync flushes the
    /// file size along with the data.
    private func syncHoldingIO() {
        let (descriptor, target, path, closed) = state.withLock {
            ($0.descriptor, $0.written, Self.segmentPath(directory, $0.segment), $0.closed)
        }
        if closed { return }
        var failure: String?
        do throws(FileSystemError) {
            try FileSystem.syncData(descriptor, path: path)
        } catch {
            failure = error.description
        }
        Self.call(state.withLock { state in
            state.durable = max(state.durable, target)
            state.lastSync = Self.milliseconds()
            if let failure { state.failure = failure }
            return signalWaiters(&state)
        })
    }

    /// Releases the writers whose records have reached the policy's point (all of them once the log failed, or
    /// closed), and returns the `notifyWhenDurable` callbacks to call, with their outcome, once the lock is let go.
    private func signalWaiters(_ state: inout State) -> [ReadyNotification] {
        let reached = policy == .fsync ? state.durable : state.written
        let failed = state.failure != nil
        state.waiters.removeAll { waiter in
            guard waiter.position <= reached || failed else { return false }
            waiter.signal.signal()
            return true
        }
        guard !state.notifications.isEmpty else { return [] }
        let closed = state.closed
        var ready: [ReadyNotification] = []
        state.notifications.removeAll { notification in
            let covered = notification.position <= reached
            guard covered || failed || closed else { return false }
            ready.append((notification.done, covered && !failed))
            return true
        }
        return ready
    }

    /// A `notifyWhenDurable` callback due, with its outcome.
    private typealias ReadyNotification = (done: @Sendable (Bool) -> Void, succeeded: Bool)

    /// Calls the callbacks `signalWaiters` returned (outside the state lock: they may take locks of their own).
    private static func call(_ ready: [ReadyNotification]) {
        for notification in ready { notification.done(notification.succeeded) }
    }

    private func rotateIfFull() {
        let full = state.withLock { $0.segmentBytes >= segmentLimitBytes }
        if full { _ = rotate() }
    }

    /// Starts a new segment; every record appended afterwards goes there. Returns the new segment's number.
    package func rotate() -> UInt64 {
        io.withLock { _ in rotateHoldingIO() }
    }

    private func rotateHoldingIO() -> UInt64 {
        if state.withLock({ $0.closed }) { return state.withLock { $0.segment } }
        // Everything appended so far belongs before the rotation point: into the old segment, trimmed and synced.
        let (previous, _) = finishSegmentHoldingIO()
        let next = state.withLock { $0.segment + 1 }
        let descriptor: Int32
        do throws(FileSystemError) {
            descriptor = try Self.openSegment(directory: directory, number: next, cipher: cipher)
        } catch {
            state.withLock { $0.failure = error.description }
            return state.withLock { $0.segment }
        }
        state.withLock { state in
            state.descriptor = descriptor
            state.segment = next
            state.segmentBytes = RecordFile.headerSize
            state.allocatedBytes = RecordFile.headerSize
            state.bytesSinceCheckpoint = 0
        }
        Glibc.close(previous)
        return next
    }

    /// Flushes, fsyncs and closes; later appends are not written.
    package func close() {
        io.withLock { _ in closeHoldingIO() }
    }

    private func closeHoldingIO() {
        if state.withLock({ $0.closed }) { return }
        let (descriptor, _) = finishSegmentHoldingIO()
        Glibc.close(descriptor)
        Self.call(state.withLock { state in
            state.pending.removeAll()
            state.closed = true
            return signalWaiters(&state)
        })
    }

    /// Writes what is pending into the current segment, cuts off its preallocated zeros and syncs it (size included),
    /// releasing every writer; returns its descriptor and path for the caller to close. The caller holds `io`.
    private func finishSegmentHoldingIO() -> (descriptor: Int32, path: String) {
        writePendingHoldingIO()
        let (descriptor, path) = state.withLock { ($0.descriptor, Self.segmentPath(directory, $0.segment)) }
        trimHoldingIO(descriptor, path: path)
        syncHoldingIO()
        return (descriptor, path)
    }

    /// A failure that stopped durability (the server then refuses writes).
    package var failure: String? { state.withLock { $0.failure } }

    static func milliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
