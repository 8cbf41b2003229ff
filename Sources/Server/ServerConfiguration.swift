import DynamoAPI
import HTTP
import SigV4
import Storage

/// Every setting of the server; defaults serve local development with no config file.
/// `config/swiftdynamo.yaml` documents each with its default; the command line overrides the file.
package struct ServerConfiguration: Sendable {
    package var http = HTTPServerConfiguration()
    /// Where tables live on disk.
    package var dataDirectory: String = "./data"
    /// Keep everything in memory; write nothing to disk.
    package var inMemory: Bool = false
    /// Verify SigV4 signatures. Off: any well-formed request is accepted (namespace still from the request).
    package var authEnabled: Bool = true
    package var credentials: CredentialStore = .defaults
    /// Region used when a request names none (auth off and no credential scope).
    package var defaultRegion: String = "us-east-1"
    /// Account used when a request's access key is unknown and auth is off.
    package var defaultAccountId: String = "000000000000"
    /// When writes are acknowledged relative to the disk.
    package var durability: DurabilityPolicy = .fsync
    /// With `batch` durability: the longest time between fsyncs.
    package var batchIntervalMilliseconds = 10
    /// A checkpoint (table snapshots, then log truncation) starts after this many bytes of log.
    package var checkpointAfterBytes = 64 << 20
    /// AES-256-GCM key for encryption at rest (32 bytes), from the config or SWIFTDYNAMO_ENCRYPTION_KEY.
    package var encryptionKey: [UInt8]?
    /// Truncate the write-ahead log at a corrupt record instead of refusing to start.
    package var repair = false
    /// The directory standing in for S3 in exports and imports; nil: `<dataDirectory>/s3`.
    package var exportsDirectory: String?
    /// Shards per table (power of two).
    package var shardsPerTable: Int = 16
    /// Settings the DynamoDB operations read (table delays, quotas).
    package var api = APISettings()
    /// Stream retention, iterator lifetime and shard rollover periods.
    package var streams = StreamSettings()
    /// The Time to Live sweeper's interval and batch size.
    package var timeToLive = TimeToLiveSettings()
    /// Triggers: tables' streams delivered to commands or URLs.
    package var triggers: [TriggerDefinition] = []
    /// Log level name: trace, debug, info, notice, warning, error, critical.
    package var logLevel: String = "info"

    package init() {}
}
