import HTTP
import SigV4
import Storage
import Yams

/// Reads a YAML configuration file (documented in `config/swiftdynamo.yaml`) onto a configuration.
/// Unknown keys are errors, so a typo never silently falls back to a default.
package enum ConfigurationFile {
    /// A problem in the file, named by its key path.
    package struct Problem: Error, CustomStringConvertible {
        package var description: String
    }

    /// Reads the file at `path` and applies every setting it names onto `base`.
    package static func load(path: String, onto base: ServerConfiguration) throws -> ServerConfiguration {
        guard let text = FileText.read(path) else { throw Problem(description: "cannot read configuration file \(path)") }
        return try parse(text, onto: base)
    }

    /// Applies the settings in YAML `text` onto `base`.
    package static func parse(_ text: String, onto base: ServerConfiguration) throws -> ServerConfiguration {
        var settings = base
        guard let document = try Yams.load(yaml: text) else { return settings }
        guard let root = document as? [String: Any] else { throw Problem(description: "the file must be a mapping") }
        for (section, body) in root {
            if section == "triggers" {
                settings.triggers = try triggers(body)
                continue
            }
            guard let values = body as? [String: Any] else { throw Problem(description: "\(section) must be a mapping") }
            for (key, value) in values {
                try apply(section: section, key: key, value: value, to: &settings)
            }
        }
        return settings
    }

    private static func apply(section: String, key: String, value: Any, to settings: inout ServerConfiguration) throws {
        let path = "\(section).\(key)"
        switch path {
        case "server.host": settings.http.host = try string(value, path)
        case "server.port": settings.http.port = try int(value, path)
        case "server.max_header_bytes": settings.http.maximumHeaderBytes = try int(value, path)
        case "server.max_body_bytes": settings.http.maximumBodyBytes = try int(value, path)
        case "server.idle_timeout_ms": settings.http.idleTimeoutMilliseconds = try int(value, path)
        case "server.request_timeout_ms": settings.http.requestTimeoutMilliseconds = try int(value, path)
        case "server.shutdown_grace_ms": settings.http.shutdownGraceMilliseconds = try int(value, path)
        case "storage.data_dir": settings.dataDirectory = try string(value, path)
        case "storage.in_memory": settings.inMemory = try bool(value, path)
        case "storage.shards_per_table":
            let shards = try int(value, path)
            guard shards > 0 && shards & (shards - 1) == 0 else {
                throw Problem(description: "\(path) must be a power of two")
            }
            settings.shardsPerTable = shards
        case "storage.durability":
            guard let policy = DurabilityPolicy(rawValue: try string(value, path)) else {
                throw Problem(description: "\(path) must be fsync, batch or none")
            }
            settings.durability = policy
        case "storage.batch_interval_ms": settings.batchIntervalMilliseconds = try int(value, path)
        case "storage.checkpoint_after_bytes": settings.checkpointAfterBytes = try int(value, path)
        case "storage.encryption_key":
            guard let key = RecordCipher.parseKey(try string(value, path)) else {
                throw Problem(description: "\(path) must be 64 hexadecimal digits (a 256-bit key)")
            }
            settings.encryptionKey = key
        case "server.workers": settings.http.workerCount = try int(value, path)
        case "server.connection_model":
            guard let model = ConnectionModel(rawValue: try string(value, path)) else {
                throw Problem(description: "\(path) must be threads, dispatch or epoll")
            }
            settings.http.connectionModel = model
        case "server.max_connections": settings.http.maximumConnections = try int(value, path)
        case "auth.enabled": settings.authEnabled = try bool(value, path)
        case "auth.default_region": settings.defaultRegion = try string(value, path)
        case "auth.credentials": settings.credentials = try credentials(value, path)
        case "tables.creation_delay_seconds": settings.api.tableCreationDelaySeconds = try double(value, path)
        case "tables.deletion_delay_seconds": settings.api.tableDeletionDelaySeconds = try double(value, path)
        case "tables.max_tables": settings.api.maximumTablesPerNamespace = try int(value, path)
        case "tables.item_collection_limit_bytes": settings.api.itemCollectionLimitBytes = try int(value, path)
        case "streams.retention_seconds": settings.streams.retentionSeconds = try positive(value, path)
        case "streams.iterator_lifetime_seconds": settings.streams.iteratorLifetimeSeconds = try positive(value, path)
        case "streams.shard_rollover_seconds": settings.streams.shardRolloverSeconds = try positive(value, path)
        case "ttl.sweep_interval_seconds": settings.timeToLive.sweepIntervalSeconds = try positive(value, path)
        case "ttl.sweep_batch_size": settings.timeToLive.batchSize = Int(try positive(value, path))
        case "ttl.update_cooldown_seconds": settings.api.timeToLiveCooldownSeconds = try double(value, path)
        case "ttl.transition_seconds": settings.api.timeToLiveTransitionSeconds = try double(value, path)
        case "recovery.exports_dir": settings.exportsDirectory = try string(value, path)
        case "recovery.default_recovery_period_days":
            let days = try int(value, path)
            guard (1...35).contains(days) else {
                throw Problem(description: "\(path) must be between 1 and 35 (DynamoDB's recovery period range), not \(days)")
            }
            settings.api.defaultRecoveryPeriodDays = days
        case "logging.level": settings.logLevel = try string(value, path)
        case "capacity.enforce": settings.api.capacity.enforce = try bool(value, path)
        case "capacity.burst_seconds": settings.api.capacity.burstSeconds = try nonNegative(value, path)
        case "capacity.on_demand_burst_seconds": settings.api.capacity.onDemandBurstSeconds = try nonNegative(value, path)
        case "capacity.billing_mode_switch_interval":
            settings.api.capacity.billingModeSwitchIntervalSeconds = try nonNegative(value, path)
        case "capacity.usage_interval_seconds": settings.api.capacity.usageIntervalSeconds = try positive(value, path)
        case "pricing.on_demand_read_per_million": settings.api.capacity.prices.onDemandReadPerMillion = try nonNegative(value, path)
        case "pricing.on_demand_write_per_million": settings.api.capacity.prices.onDemandWritePerMillion = try nonNegative(value, path)
        case "pricing.provisioned_rcu_month": settings.api.capacity.prices.provisionedReadPerUnitMonth = try nonNegative(value, path)
        case "pricing.provisioned_wcu_month": settings.api.capacity.prices.provisionedWritePerUnitMonth = try nonNegative(value, path)
        case "pricing.storage_gb_month": settings.api.capacity.prices.storagePerGBMonth = try nonNegative(value, path)
        case "auto_scaling.evaluation_period_seconds":
            settings.api.capacity.autoScaling.evaluationPeriodSeconds = try positive(value, path)
        case "auto_scaling.scale_out_periods": settings.api.capacity.autoScaling.scaleOutPeriods = max(1, try int(value, path))
        case "auto_scaling.scale_in_periods": settings.api.capacity.autoScaling.scaleInPeriods = max(1, try int(value, path))
        case "auto_scaling.scale_in_threshold": settings.api.capacity.autoScaling.scaleInThreshold = try nonNegative(value, path)
        case "auto_scaling.max_decreases_per_day":
            settings.api.capacity.autoScaling.maximumDecreasesPerDay = max(0, try int(value, path))
        default: throw Problem(description: "unknown setting \(path)")
        }
    }

    /// The `triggers:` list; each entry's unknown keys are errors too.
    private static func triggers(_ value: Any) throws -> [TriggerDefinition] {
        guard let entries = value as? [Any] else { throw Problem(description: "triggers must be a list") }
        var triggers: [TriggerDefinition] = []
        for (index, entry) in entries.enumerated() {
            let path = "triggers[\(index)]"
            guard let fields = entry as? [String: Any] else { throw Problem(description: "\(path) must be a mapping") }
            guard let name = fields["name"].map({ "\($0)" }), let table = fields["table"].map({ "\($0)" }) else {
                throw Problem(description: "\(path) needs name and table")
            }
            let target: TriggerDefinition.Target
            switch (fields["command"], fields["url"]) {
            case (let command?, nil): target = .command(try string(command, "\(path).command"))
            case (nil, let url?):
                let text = try string(url, "\(path).url")
                guard text.hasPrefix("http://") else { throw Problem(description: "\(path).url must be an http:// URL") }
                target = .url(text)
            default: throw Problem(description: "\(path) needs exactly one of command and url")
            }
            guard !triggers.contains(where: { $0.name == name }) else {
                throw Problem(description: "\(path): another trigger is named \(name)")
            }
            var trigger = TriggerDefinition(name: name, table: table, target: target)
            for (key, value) in fields {
                let keyPath = "\(path).\(key)"
                switch key {
                case "name", "table", "command", "url": continue
                case "account_id": trigger.accountId = try string(value, keyPath)
                case "region": trigger.region = try string(value, keyPath)
                case "batch_size":
                    trigger.batchSize = try int(value, keyPath)
                    guard (1...10_000).contains(trigger.batchSize) else {
                        throw Problem(description: "\(keyPath) must be from 1 to 10000")
                    }
                case "batching_window": trigger.batchingWindowSeconds = try double(value, keyPath)
                case "starting_position":
                    guard let position = TriggerDefinition.StartingPosition(rawValue: try string(value, keyPath)) else {
                        throw Problem(description: "\(keyPath) must be TRIM_HORIZON or LATEST")
                    }
                    trigger.startingPosition = position
                case "max_retries": trigger.maxRetries = max(0, try int(value, keyPath))
                case "retry_backoff": trigger.retryBackoffSeconds = try double(value, keyPath)
                case "on_failure_file": trigger.onFailureFile = try string(value, keyPath)
                default: throw Problem(description: "unknown setting \(keyPath)")
                }
            }
            triggers.append(trigger)
        }
        return triggers
    }

    private static func credentials(_ value: Any, _ path: String) throws -> CredentialStore {
        guard let entries = value as? [Any] else { throw Problem(description: "\(path) must be a list") }
        var store = CredentialStore()
        for (index, entry) in entries.enumerated() {
            guard let fields = entry as? [String: Any],
                  let accessKey = fields["access_key_id"].map({ "\($0)" }),
                  let secret = fields["secret_access_key"].map({ "\($0)" }),
                  let account = fields["account_id"].map({ "\($0)" }) else {
                throw Problem(description: "\(path)[\(index)] needs access_key_id, secret_access_key and account_id")
            }
            store.credentials[accessKey] = Credential(secretAccessKey: secret, accountId: account)
        }
        return store
    }

    private static func string(_ value: Any, _ path: String) throws -> String {
        if let text = value as? String { return text }
        if let number = value as? Int { return String(number) }
        throw Problem(description: "\(path) must be a string")
    }

    private static func int(_ value: Any, _ path: String) throws -> Int {
        guard let number = value as? Int else { throw Problem(description: "\(path) must be a whole number") }
        return number
    }

    private static func double(_ value: Any, _ path: String) throws -> Double {
        if let number = value as? Double { return number }
        if let number = value as? Int { return Double(number) }
        throw Problem(description: "\(path) must be a number")
    }

    private static func nonNegative(_ value: Any, _ path: String) throws -> Double {
        let number = try double(value, path)
        guard number >= 0 else { throw Problem(description: "\(path) must not be negative") }
        return number
    }

    private static func positive(_ value: Any, _ path: String) throws -> Double {
        let number = try double(value, path)
        guard number > 0 else { throw Problem(description: "\(path) must be greater than 0") }
        return number
    }

    private static func bool(_ value: Any, _ path: String) throws -> Bool {
        guard let flag = value as? Bool else { throw Problem(description: "\(path) must be true or false") }
        return flag
    }
}
