import Dispatch
import DynamoAPI
import JSON
import Logging
import Storage
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Delivers one trigger's table stream, batch by batch, at least once and in order per shard: a batch is retried
/// with exponential backoff up to `max_retries`, then written to the on-failure file, and only then does the
/// trigger's position move past it. The position is checkpointed durably after every batch (with a data directory),
/// so a restart neither skips nor replays an acknowledged batch.
///
/// Thread safety: the loop runs alone on its own queue; `stop()` waits for it to end.
package final class TriggerRunner: Sendable {
    package let definition: TriggerDefinition
    private let streams: StreamStore
    /// `<data>/triggers/<name>.position`; nil in memory (the position then lives as long as the process).
    private let checkpointPath: String?
    private let failurePath: String?
    private let logger: Logger
    private let running = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// How often an idle trigger looks for new records.
    static let pollSeconds = 0.1

    package init(definition: TriggerDefinition, streams: StreamStore, dataDirectory: String?, logger: Logger) {
        self.definition = definition
        self.streams = streams
        self.logger = logger
        let directory = dataDirectory.map { "\($0)/triggers" }
        checkpointPath = directory.map { "\($0)/\(definition.name).position" }
        failurePath = definition.onFailureFile ?? directory.map { "\($0)/\(definition.name).failures.jsonl" }
        if let directory { try? FileSystem.createDirectory(directory) }
    }

    package func start() {
        running.store(true, ordering: .releasing)
        DispatchQueue(label: "swiftdynamo.trigger.\(definition.name)").async { [self] in
            run()
            finished.signal()
        }
    }

    /// Stops after the batch in flight (an unfinished batch is delivered again after a restart).
    package func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }

    private var isRunning: Bool { running.load(ordering: .acquiring) }

    /// Sleeps up to `seconds`, waking early when stopped; false when stopped.
    private func pause(_ seconds: Double) -> Bool {
        var left = seconds
        while left > 0 && isRunning {
            let step = min(left, Self.pollSeconds)
            usleep(useconds_t(step * 1_000_000))
            left -= step
        }
        return isRunning
    }

    private func run() {
        var position = loadCheckpoint()
        var windowStarted: Double?
        while isRunning {
            guard let stream = streams.latestStream(ofTable: definition.table, accountId: definition.accountId,
                                                    region: definition.region) else {
                _ = pause(Self.pollSeconds)
                continue
            }
            if position?.arn != stream.arn {
                // A first start honours starting_position; a new stream of the table is read from its beginning.
                let start = position == nil && definition.startingPosition == .latest ? stream.nextSequence - 1 : 0
                position = (stream.arn, start)
                saveCheckpoint(stream.arn, start)
            }
            guard let current = position,
                  let (batch, shardId) = streams.records(ofStream: current.arn, after: current.sequence,
                                                        limit: definition.batchSize),
                  let shardId, let last = batch.last else {
                windowStarted = nil
                _ = pause(Self.pollSeconds)
                continue
            }
            if batch.count < definition.batchSize && definition.batchingWindowSeconds > 0 {
                let now = Clock.nowSeconds()
                let started = windowStarted ?? now
                windowStarted = started
                if now - started < definition.batchingWindowSeconds {
                    _ = pause(Self.pollSeconds)
                    continue
                }
            }
            windowStarted = nil
            guard deliver(batch, of: stream, shardId: shardId) else { return }
            position = (current.arn, last.sequence)
            saveCheckpoint(current.arn, last.sequence)
        }
    }

    /// Delivers with retries; after the last failed retry writes the on-failure record. False when stopped first.
    private func deliver(_ batch: [StreamRecord], of stream: TableStream, shardId: String) -> Bool {
        let event = JSONValue.object(JSONObject([
            ("Records", .array(batch.map { StreamRecordWriter.lambdaRecord($0, of: stream) })),
        ]))
        let body = JSONWriter.serialize(event)
        var attempts = 0
        var failure: String?
        while true {
            attempts += 1
            failure = TriggerDelivery.deliver(body, to: definition.target)
            guard let failure else { return true }
            logger.warning("trigger \(definition.name): batch \(StreamSequenceNumber.string(batch[0].sequence))… failed (attempt \(attempts)): \(failure)")
            if attempts > definition.maxRetries { break }
            let wait = min(60, definition.retryBackoffSeconds * Double(1 << min(attempts - 1, 16)))
            guard pause(wait) else { return false }
        }
        recordFailure(batch, of: stream, shardId: shardId, attempts: attempts, error: failure ?? "")
        return true
    }

    /// Appends the on-failure record: Lambda's shape for a DynamoDB stream batch that exhausted its retries, plus the
    /// batch itself.
    private func recordFailure(_ batch: [StreamRecord], of stream: TableStream, shardId: String, attempts: Int,
                               error: String) {
        guard let failurePath, let first = batch.first, let last = batch.last else { return }
        let line = JSONValue.object(JSONObject([
            ("requestContext", .object(JSONObject([
                ("trigger", .string(definition.name)), ("condition", .string("RetryAttemptsExhausted")),
                ("approximateInvokeCount", .number(String(attempts))),
            ]))),
            ("responseContext", .object(JSONObject([("functionError", .string(error))]))),
            ("version", .string("1.0")),
            ("timestamp", .string(StreamLabel.make(Clock.nowSeconds()) + "Z")),
            ("DDBStreamBatchInfo", .object(JSONObject([
                ("shardId", .string(shardId)),
                ("startSequenceNumber", .string(StreamSequenceNumber.string(first.sequence))),
                ("endSequenceNumber", .string(StreamSequenceNumber.string(last.sequence))),
                ("approximateArrivalOfFirstRecord", .string(StreamLabel.make(first.timestamp) + "Z")),
                ("approximateArrivalOfLastRecord", .string(StreamLabel.make(last.timestamp) + "Z")),
                ("batchSize", .number(String(batch.count))),
                ("streamArn", .string(stream.arn)),
            ]))),
            ("Records", .array(batch.map { StreamRecordWriter.lambdaRecord($0, of: stream) })),
        ]))
        let bytes = JSONWriter.serialize(line) + [10]
        let descriptor = open(failurePath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            logger.error("trigger \(definition.name): cannot open the on-failure file \(failurePath) (errno \(errno))")
            return
        }
        defer { close(descriptor) }
        do throws(FileSystemError) {
            try FileSystem.writeAll(descriptor, bytes, path: failurePath)
            try FileSystem.sync(descriptor, path: failurePath)
        } catch {
            logger.error("trigger \(definition.name): cannot write the on-failure file: \(error)")
        }
    }

    /// `streamArn \n sequence` — the last sequence number delivered (or given up on) of that stream.
    private func loadCheckpoint() -> (arn: String, sequence: UInt64)? {
        guard let checkpointPath, let bytes = try? FileSystem.readFile(checkpointPath) else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard lines.count == 2, let sequence = UInt64(lines[1]) else { return nil }
        return (String(lines[0]), sequence)
    }

    private func saveCheckpoint(_ arn: String, _ sequence: UInt64) {
        guard let checkpointPath else { return }
        do throws(FileSystemError) {
            try FileSystem.replaceFile(checkpointPath, with: Array("\(arn)\n\(sequence)\n".utf8))
        } catch {
            logger.error("trigger \(definition.name): cannot checkpoint its position: \(error)")
        }
    }
}
