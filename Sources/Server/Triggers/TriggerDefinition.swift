/// One trigger from the configuration file: a table's stream delivered in batches, as Lambda's DynamoDB event JSON,
/// to a local command (event on stdin; exit status 0 is success) or an HTTP URL (a 2xx answer is success).
package struct TriggerDefinition: Sendable, Equatable {
    /// Where batches go.
    package enum Target: Sendable, Equatable {
        case command(String)
        case url(String)
    }

    /// Where a trigger without a checkpoint starts reading.
    package enum StartingPosition: String, Sendable {
        case trimHorizon = "TRIM_HORIZON"
        case latest = "LATEST"
    }

    package var name: String
    package var table: String
    /// nil: the table of that name in any account (or region).
    package var accountId: String?
    package var region: String?
    package var target: Target
    /// Records per batch, at most (Lambda: 1 to 10,000; default 100).
    package var batchSize = 100
    /// Seconds to wait for a full batch once a record is there (Lambda's MaximumBatchingWindowInSeconds).
    package var batchingWindowSeconds = 0.0
    package var startingPosition = StartingPosition.latest
    /// Retries of a failing batch before it goes to the on-failure file.
    package var maxRetries = 3
    /// The first retry waits this long; each later one twice as long as the one before (capped at 60 seconds).
    package var retryBackoffSeconds = 1.0
    /// Where batches that failed every retry are written (one JSON line each); nil: `triggers/<name>.failures.jsonl`
    /// in the data directory.
    package var onFailureFile: String?

    package init(name: String, table: String, target: Target) {
        self.name = name
        self.table = table
        self.target = target
    }

    /// One line for `swiftdynamo triggers`.
    package var summary: String {
        let destination: String
        switch target {
        case .command(let command): destination = "command: \(command)"
        case .url(let url): destination = "url: \(url)"
        }
        return "\(name)\ttable \(table)\t\(destination)\tbatch_size \(batchSize)\tbatching_window \(batchingWindowSeconds)s"
            + "\tstarting_position \(startingPosition.rawValue)\tmax_retries \(maxRetries)"
    }
}
