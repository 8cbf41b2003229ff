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
        case "auth.enabled": settings.authEnabled = try bool(value, path)
        case "auth.default_region": settings.defaultRegion = try string(value, path)
        case "auth.credentials": settings.credentials = try credentials(value, path)
        case "tables.creation_delay_seconds": settings.api.tableCreationDelaySeconds = try double(value, path)
        case "tables.deletion_delay_seconds": settings.api.tableDeletionDelaySeconds = try double(value, path)
        case "tables.max_tables": settings.api.maximumTablesPerNamespace = try int(value, path)
        case "tables.item_collection_limit_bytes": settings.api.itemCollectionLimitBytes = try int(value, path)
        case "recovery.exports_dir": settings.exportsDirectory = try string(value, path)
        case "recovery.default_recovery_period_days":
            let days = try int(value, path)
            guard (1...35).contains(days) else {
                throw Problem(description: "\(path) must be between 1 and 35 (DynamoDB's recovery period range), not \(days)")
            }
            settings.api.defaultRecoveryPeriodDays = days
        case "logging.level": settings.logLevel = try string(value, path)
        default: throw Problem(description: "unknown setting \(path)")
        }
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

    private static func bool(_ value: Any, _ path: String) throws -> Bool {
        guard let flag = value as? Bool else { throw Problem(description: "\(path) must be true or false") }
        return flag
    }
}
