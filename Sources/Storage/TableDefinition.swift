import DynamoModel

/// DynamoDB's table lifecycle states.
package enum TableStatus: String, Sendable {
    case creating = "CREATING"
    case updating = "UPDATING"
    case deleting = "DELETING"
    case active = "ACTIVE"
    case archiving = "ARCHIVING"
    case archived = "ARCHIVED"
    case inaccessibleEncryptionCredentials = "INACCESSIBLE_ENCRYPTION_CREDENTIALS"
}

/// How a table is billed.
package enum BillingMode: String, Sendable {
    case provisioned = "PROVISIONED"
    case payPerRequest = "PAY_PER_REQUEST"
}

/// Provisioned throughput and its change history, as DescribeTable reports it.
package struct ProvisionedThroughput: Sendable, Equatable {
    package var readCapacityUnits: Int64
    package var writeCapacityUnits: Int64
    package var lastIncreaseDateTime: Double?
    package var lastDecreaseDateTime: Double?
    package var numberOfDecreasesToday: Int64 = 0

    package init(readCapacityUnits: Int64, writeCapacityUnits: Int64) {
        self.readCapacityUnits = readCapacityUnits
        self.writeCapacityUnits = writeCapacityUnits
    }
}

/// Everything the control plane knows about a table. Value type; the catalog holds the current copy.
package struct TableDefinition: Sendable {
    package var name: String
    package var tableId: String
    package var arn: String
    package var keySchema: KeySchema
    /// Attribute definitions in request order (name → type).
    package var attributeDefinitions: [KeyAttribute]
    package var billingMode: BillingMode
    /// When the billing mode was last set to on-demand (DescribeTable's BillingModeSummary).
    package var lastUpdateToPayPerRequestDateTime: Double?
    package var provisionedThroughput: ProvisionedThroughput
    package var status: TableStatus
    /// Seconds since the epoch.
    package var creationDateTime: Double
    package var deletionProtectionEnabled: Bool
    package var tableClass: String
    /// Tags as given (key → value), in insertion order.
    package var tags: [(key: String, value: String)]
    /// StreamSpecification as given.
    package var streamEnabled: Bool
    package var streamViewType: String?
    /// When the latest stream was enabled (its label and ARN derive from it); kept after the stream is disabled.
    package var latestStreamCreationTime: Double?
    /// The Time to Live attribute while TTL is enabled.
    package var timeToLiveAttribute: String?
    /// SSESpecification as given (Enabled, SSEType, KMSMasterKeyId).
    package var sseEnabled: Bool
    package var sseType: String?
    package var kmsMasterKeyId: String?
    /// Global secondary indexes, in creation order.
    package var globalSecondaryIndexes: [IndexDefinition] = []
    /// Local secondary indexes (fixed at table creation).
    package var localSecondaryIndexes: [IndexDefinition] = []

    /// On-demand maximum throughput of the table (kept across billing-mode switches, applied when on-demand).
    package var onDemandThroughput: OnDemandThroughput?
    /// On-demand maximum throughput of global indexes, by index name.
    package var indexOnDemandThroughput: [String: OnDemandThroughput] = [:]
    /// Target-tracking auto scaling, keyed by "" for the table and by index name for global indexes.
    package var autoScaling: [String: StoredAutoScaling] = [:]
    /// Point-in-time recovery as UpdateContinuousBackups last set it; nil when never enabled.
    package var pointInTimeRecovery: PointInTimeRecoverySettings?
    /// How a restored table came to be (DescribeTable's `RestoreSummary`); nil for tables created directly.
    package var restoreSummary: RestoreSummary?
    /// Contributor insights, keyed by "" for the table and by index name for global indexes; absent when never set.
    package var contributorInsights: [String: ContributorInsightsSettings] = [:]

    /// Warm throughput last asked for the table (CreateTable / UpdateTable `WarmThroughput`); nil when never set.
    package var warmThroughput: WarmThroughput?
    /// Warm throughput last asked for each global index, by index name.
    package var indexWarmThroughput: [String: WarmThroughput] = [:]

    /// Every index, global first.
    package var allIndexes: [IndexDefinition] { globalSecondaryIndexes + localSecondaryIndexes }

    package init(name: String, tableId: String, arn: String, keySchema: KeySchema,
                 attributeDefinitions: [KeyAttribute], billingMode: BillingMode,
                 provisionedThroughput: ProvisionedThroughput, creationDateTime: Double) {
        self.name = name
        self.tableId = tableId
        self.arn = arn
        self.keySchema = keySchema
        self.attributeDefinitions = attributeDefinitions
        self.billingMode = billingMode
        self.provisionedThroughput = provisionedThroughput
        self.status = .active
        self.creationDateTime = creationDateTime
        self.deletionProtectionEnabled = false
        self.tableClass = "STANDARD"
        self.tags = []
        self.streamEnabled = false
        self.streamViewType = nil
        self.sseEnabled = false
        self.sseType = nil
        self.kmsMasterKeyId = nil
    }
}

/// A table's point-in-time recovery settings.
package struct PointInTimeRecoverySettings: Sendable, Equatable {
    package var enabled: Bool
    /// How far back a restore may reach (DynamoDB: 1 to 35 days).
    package var recoveryPeriodInDays: Int
    /// The first instant the current history can restore: when recovery was last enabled.
    package var enabledDateTime: Double

    package init(enabled: Bool, recoveryPeriodInDays: Int, enabledDateTime: Double) {
        self.enabled = enabled
        self.recoveryPeriodInDays = recoveryPeriodInDays
        self.enabledDateTime = enabledDateTime
    }
}

/// Where a restored table's items came from.
package struct RestoreSummary: Sendable, Equatable {
    package var sourceBackupArn: String?
    package var sourceTableArn: String?
    /// The instant restored (backups: the backup's creation time).
    package var restoreDateTime: Double
    package var inProgress: Bool

    package init(sourceBackupArn: String?, sourceTableArn: String?, restoreDateTime: Double, inProgress: Bool) {
        self.sourceBackupArn = sourceBackupArn
        self.sourceTableArn = sourceTableArn
        self.restoreDateTime = restoreDateTime
        self.inProgress = inProgress
    }
}

/// The read and write units per second a table or global index can serve at once (DynamoDB's warm throughput).
package struct WarmThroughput: Sendable, Equatable {
    package var readUnitsPerSecond: Int64
    package var writeUnitsPerSecond: Int64

    package init(readUnitsPerSecond: Int64, writeUnitsPerSecond: Int64) {
        self.readUnitsPerSecond = readUnitsPerSecond
        self.writeUnitsPerSecond = writeUnitsPerSecond
    }
}
