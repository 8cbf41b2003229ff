import ArgumentParser
import DynamoAPI
import DynamoModel
import Logging
import Server
import Storage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options shared by `export` and `import`: which data directory, and which account and region.
struct DataDirectoryOptions: ParsableArguments {
    @Option(help: "YAML configuration file (see config/swiftdynamo.yaml).")
    var config: String?

    @Option(help: "Directory for table data (no server may be using it).")
    var dataDir: String?

    @Option(help: "Account of the table (default: the only one with a table of that name, or the default account).")
    var accountId: String?

    @Option(help: "Region of the table (default: the only one with a table of that name, or the default region).")
    var region: String?

    func open() throws -> (OpenedDataDirectory, ServerConfiguration) {
        var settings = ServerConfiguration()
        if let config { settings = try ConfigurationFile.load(path: config, onto: settings) }
        if let dataDir { settings.dataDirectory = dataDir }
        if let key = getenv("SWIFTDYNAMO_ENCRYPTION_KEY").map({ String(cString: $0) }), !key.isEmpty {
            guard let parsed = RecordCipher.parseKey(key) else {
                throw ValidationError("SWIFTDYNAMO_ENCRYPTION_KEY must be 64 hexadecimal digits (a 256-bit key)")
            }
            settings.encryptionKey = parsed
        }
        var handler = StreamLogHandler.standardError(label: "swiftdynamo")
        handler.logLevel = .warning
        let logger = Logger(label: "swiftdynamo") { _ in handler }
        do {
            let opened = try DataDirectory.open(settings, exportsRoot: settings.exportsDirectory ?? settings.dataDirectory + "/s3",
                                                logger: logger)
            return (opened, settings)
        } catch {
            throw ValidationError("cannot open the data directory: \(error)")
        }
    }

    /// The table's namespace: as given, else the only namespace holding a table of that name.
    func namespace(of table: String, in catalog: Catalog, settings: ServerConfiguration) throws -> Namespace? {
        let holders = catalog.allTablesWithNamespaces().filter { $0.1.name == table }.map(\.0)
            .filter { accountId == nil || $0.accountId == accountId }
            .filter { region == nil || $0.region == region }
        if holders.count > 1 {
            throw ValidationError("tables named \(table) exist in several accounts or regions; choose one with --account-id and --region")
        }
        return holders.first
    }
}

/// `swiftdynamo export TABLE DIR`: the table, in DynamoDB's export layout.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a table to DIR/AWSDynamoDB/<export-id>/ in DynamoDB's export layout (the server must be stopped).")

    @Argument(help: "The table.") var table: String
    @Argument(help: "The directory to write to.") var directory: String
    @Option(help: "DYNAMODB_JSON or ION.") var format = "DYNAMODB_JSON"
    @OptionGroup var data: DataDirectoryOptions

    func run() throws {
        guard ["DYNAMODB_JSON", "ION"].contains(format) else { throw ValidationError("--format must be DYNAMODB_JSON or ION") }
        let (opened, settings) = try data.open()
        defer { opened.close() }
        guard let namespace = try data.namespace(of: table, in: opened.catalog, settings: settings),
              let source = opened.catalog.table(named: table, in: namespace) else {
            throw ValidationError("no table named \(table) in \(settings.dataDirectory)")
        }
        let bar = ProgressBar(unit: "items")
        let outcome = try TableFileTransfer.export(source, namespace: namespace, to: directory, format: format,
                                                   now: opened.catalog.now()) { done, total, bytes in
            bar.update(done: done, total: total, bytes: bytes)
        }
        bar.update(done: outcome.items, total: outcome.items, bytes: outcome.bytes, force: true)
        bar.finish()
        print("exported \(outcome.items) items of \(table) to \(outcome.path ?? directory)")
    }
}

/// `swiftdynamo import DIR TABLE`: every DynamoDB JSON, Ion or CSV file under DIR into the table.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read the DynamoDB JSON (.json[.gz]), Ion (.ion[.gz]) and CSV (.csv[.gz]) files under DIR into a table (the server must be stopped).")

    @Argument(help: "The directory to read (an export's data/ folder, or any folder of such files).") var directory: String
    @Argument(help: "The table (created, on demand, when --key is given and it does not exist).") var table: String
    @Option(help: "Partition key of a new table, as name:TYPE (TYPE is S, N or B).") var key: String?
    @Option(help: "Sort key of a new table, as name:TYPE.") var sortKey: String?
    @OptionGroup var data: DataDirectoryOptions

    static func attribute(_ text: String?) throws -> KeyAttribute? {
        guard let text else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let type = ScalarAttributeType(rawValue: String(parts[1])) else {
            throw ValidationError("a key is name:TYPE with TYPE S, N or B, not \(text)")
        }
        return KeyAttribute(name: String(parts[0]), type: type)
    }

    func run() throws {
        let (opened, settings) = try data.open()
        defer { opened.close() }
        let target: Table
        if let namespace = try data.namespace(of: table, in: opened.catalog, settings: settings),
           let existing = opened.catalog.table(named: table, in: namespace) {
            target = existing
        } else {
            guard let partition = try Self.attribute(key) else {
                throw ValidationError("there is no table \(table); give --key (and --sort-key) to create it")
            }
            let namespace = Namespace(accountId: data.accountId ?? settings.defaultAccountId, region: data.region ?? settings.defaultRegion)
            let definition = TableFileTransfer.newTableDefinition(name: table, partitionKey: partition, sortKey: try Self.attribute(sortKey),
                                                                  namespace: namespace, now: opened.catalog.now())
            target = try opened.catalog.createTable(definition, in: namespace)
        }
        let bar = ProgressBar(unit: "bytes")
        let outcome = try TableFileTransfer.import(from: directory, into: target) { done, total, bytes in
            bar.update(done: done, total: total, bytes: bytes)
        }
        bar.finish()
        _ = opened.store.awaitDurability()
        print("imported \(outcome.items) items into \(table); \(outcome.errors) errors"
            + (outcome.path.map { " (see \($0))" } ?? ""))
    }
}
