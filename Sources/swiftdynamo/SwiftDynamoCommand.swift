import ArgumentParser
import Dispatch
import Logging
import Server
import Storage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `swiftdynamo` command: the server (the default), a table exported to or imported from a directory, the
/// usage report, or the configured triggers listed.
@main
struct SwiftDynamoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftdynamo",
        abstract: "A DynamoDB-compatible server.",
        subcommands: [ServeCommand.self, ExportCommand.self, ImportCommand.self, UsageCommand.self, TriggersCommand.self],
        defaultSubcommand: ServeCommand.self)
}

/// `swiftdynamo [serve]`: runs the server until SIGINT or SIGTERM.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (the default command).")

    @Option(help: "Address to listen on.")
    var host: String?

    @Option(help: "Port to listen on (0 picks a free port).")
    var port: Int?

    @Option(help: "YAML configuration file (see config/swiftdynamo.yaml).")
    var config: String?

    @Option(help: "Directory for table data.")
    var dataDir: String?

    @Flag(help: "Keep everything in memory; write nothing to disk.")
    var inMemory = false

    @Option(help: "Signature verification: on or off.")
    var auth: AuthMode?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(help: "When writes are acknowledged: fsync (default), batch or none.")
    var durability: String?

    @Flag(help: "Truncate the write-ahead log at a corrupt record instead of refusing to start.")
    var repair = false

    enum AuthMode: String, ExpressibleByArgument {
        case on, off
    }

    func run() throws {
        var settings = ServerConfiguration()
        if let config {
            settings = try ConfigurationFile.load(path: config, onto: settings)
        }
        if let host { settings.http.host = host }
        if let port { settings.http.port = port }
        if let dataDir { settings.dataDirectory = dataDir }
        if inMemory { settings.inMemory = true }
        if let auth { settings.authEnabled = auth == .on }
        if let logLevel { settings.logLevel = logLevel }
        if let durability {
            guard let policy = DurabilityPolicy(rawValue: durability) else {
                throw ValidationError("--durability must be fsync, batch or none")
            }
            settings.durability = policy
        }
        if repair { settings.repair = true }
        if let key = getenv("SWIFTDYNAMO_ENCRYPTION_KEY").map({ String(cString: $0) }), !key.isEmpty {
            guard let parsed = RecordCipher.parseKey(key) else {
                throw ValidationError("SWIFTDYNAMO_ENCRYPTION_KEY must be 64 hexadecimal digits (a 256-bit key)")
            }
            settings.encryptionKey = parsed
        }

        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "swiftdynamo")
        let server: SwiftDynamoServer
        do {
            server = try SwiftDynamoServer(configuration: settings, logger: logger)
        } catch {
            logger.critical("cannot open the data directory: \(error)")
            throw ExitCode(1)
        }
        do {
            try server.start()
        } catch {
            logger.critical("could not start: \(error)")
            throw ExitCode(1)
        }
        logger.info("SwiftDynamo listening on http://\(settings.http.host):\(server.port)",
                    metadata: ["config": "\(config ?? "(defaults)")",
                               "data": "\(settings.inMemory ? "in memory" : settings.dataDirectory)",
                               "auth": "\(settings.authEnabled ? "on" : "off")"])
        SignalWaiter.waitForTermination()
        logger.info("shutting down: finishing in-flight requests")
        server.shutdown()
        logger.info("stopped")
    }
}
