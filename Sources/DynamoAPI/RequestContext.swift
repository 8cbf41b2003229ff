import Capacity
import Storage
import Synchronization

/// This server's `host:port`, set when the listener is bound (port 0 picks the port then).
package final class EndpointAddress: Sendable {
    private let value = Mutex("127.0.0.1:8000")

    package init() {}

    package var address: String {
        get { value.withLock { $0 } }
    }

    package func set(_ address: String) { value.withLock { $0 = address } }
}

/// What an operation may use besides its input: the caller's namespace, the catalog, the clock and settings.
package struct RequestContext: Sendable {
    package var namespace: Namespace
    package var catalog: Catalog
    /// Seconds since the Unix epoch at the start of the request.
    package var now: Double
    package var settings: APISettings
    /// Transaction tokens seen in the last 10 minutes.
    package var idempotencyTokens: IdempotencyTokens
    /// The tables' streams (the DynamoDB Streams operations read them).
    package var streams: StreamStore?
    /// When each table's Time to Live was last changed (UpdateTimeToLive's cooldown).
    package var timeToLiveChanges: TimeToLiveChanges
    /// Throughput buckets and the usage ledger.
    package var meter: CapacityMeter

    package init(namespace: Namespace, catalog: Catalog, now: Double, settings: APISettings,
                 idempotencyTokens: IdempotencyTokens = IdempotencyTokens(), streams: StreamStore? = nil,
                 timeToLiveChanges: TimeToLiveChanges = TimeToLiveChanges(), meter: CapacityMeter? = nil) {
        self.meter = meter ?? CapacityMeter(settings: settings.capacity)
        self.namespace = namespace
        self.catalog = catalog
        self.now = now
        self.settings = settings
        self.idempotencyTokens = idempotencyTokens
        self.streams = streams
        self.timeToLiveChanges = timeToLiveChanges
    }
}

/// Behaviour switches the operations read.
package struct APISettings: Sendable {
    /// Maximum number of tables per namespace (DynamoDB's default account quota is 2,500).
    package var maximumTablesPerNamespace: Int = 2500
    /// Seconds a new table stays CREATING (0: ACTIVE at once). Lets tests exercise boto3's waiters.
    package var tableCreationDelaySeconds: Double = 0
    /// Seconds a deleted table stays DELETING before it disappears (0: gone at once).
    package var tableDeletionDelaySeconds: Double = 0
    /// DynamoDB's limit on one partition's item collection in a table with local secondary indexes (10 GB).
    package var itemCollectionLimitBytes = 10 << 30
    /// The address DescribeEndpoints reports (`host:port` of this server), known once the listener is bound.
    package var endpoint = EndpointAddress()
    /// Data at rest is encrypted (reported in every table's `SSEDescription`).
    package var encryptionAtRest = false
    /// After an UpdateTimeToLive, further ones for the table are refused this long (DynamoDB: one hour).
    package var timeToLiveCooldownSeconds: Double = 3600
    /// For this long after UpdateTimeToLive, DescribeTimeToLive reports ENABLING / DISABLING (0: settled at once).
    package var timeToLiveTransitionSeconds: Double = 0
    /// Metering, throttling, auto scaling and prices (the `capacity` section of the configuration).
    package var capacity = CapacitySettings()
    /// The recovery period point-in-time recovery gets when UpdateContinuousBackups names none (DynamoDB: 35 days).
    package var defaultRecoveryPeriodDays = 35
    /// Backups, point-in-time recovery, exports and imports.
    package var recovery = RecoveryServices.inMemory()

    package init() {}
}
