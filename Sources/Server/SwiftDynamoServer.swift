import DynamoAPI
import HTTP
import Logging
import SigV4
import Storage

/// The assembled server: catalog (durable unless in memory), API, signature verifier and HTTP listener.
package final class SwiftDynamoServer: Sendable {
    package let configuration: ServerConfiguration
    package let catalog: Catalog
    let store: DurableStore?
    let streams: StreamStore
    let sweeper: TimeToLiveSweeper
    let triggers: [TriggerRunner]
    let pipeline: RequestPipeline
    let http: HTTPServer
    let logger: Logger
    let endpoint: EndpointAddress
    let autoScaling: AutoScalingRunner

    /// Opens (and recovers) the data directory unless in memory; refuses a directory another process holds.
    package init(configuration: ServerConfiguration, logger: Logger) throws(DurabilityError) {
        self.configuration = configuration
        self.logger = logger
        var apiSettings = configuration.api
        let exportsRoot = configuration.exportsDirectory ?? configuration.dataDirectory + "/s3"
        if configuration.inMemory {
            store = nil
            let fanOut = ChangeFanOut(forwardingTo: nil)
            streams = StreamStore(settings: configuration.streams, downstream: fanOut, clock: { Clock.nowSeconds() })
            catalog = Catalog(shardCount: configuration.shardsPerTable, changeSink: streams, clock: { Clock.nowSeconds() })
            apiSettings.recovery = RecoveryServices.inMemory(fanOut: fanOut, exportsRoot: exportsRoot)
        } else {
            let opened = try DataDirectory.open(configuration, exportsRoot: exportsRoot, logger: logger)
            let store = opened.store
            let streams = opened.streams
            let catalog = opened.catalog
            let report = opened.report
            apiSettings.recovery = opened.recovery
            logger.info("recovered \(report.tables) tables and \(report.items) items from \(report.snapshotFiles) snapshot files and \(report.logRecords) log records in \(Int(report.seconds * 1000)) ms",
                        metadata: ["data": "\(configuration.dataDirectory)", "durability": "\(configuration.durability.rawValue)",
                                   "encrypted": "\(configuration.encryptionKey != nil)"])
            if report.tornTailBytesCut > 0 {
                logger.notice("cut \(report.tornTailBytesCut) bytes of a torn final log record (a crash during a write that was never acknowledged)")
            }
            if let repaired = report.repairedAt {
                logger.warning("--repair truncated the write-ahead log at \(repaired); later records were discarded")
            }
            self.store = store
            self.streams = streams
            self.catalog = catalog
            apiSettings.encryptionAtRest = configuration.encryptionKey != nil
        }
        endpoint = apiSettings.endpoint
        let dataDirectory = configuration.inMemory ? nil : configuration.dataDirectory
        let streamStore = streams
        triggers = configuration.triggers.map {
            TriggerRunner(definition: $0, streams: streamStore, dataDirectory: dataDirectory, logger: logger)
        }
        sweeper = TimeToLiveSweeper(catalog: catalog, settings: configuration.timeToLive, clock: { Clock.nowSeconds() })
        let service = DynamoService(catalog: catalog, settings: apiSettings, streams: streams,
                                    startedAt: Clock.nowSeconds())
        autoScaling = AutoScalingRunner(catalog: catalog, meter: service.meter, clock: { Clock.nowSeconds() })
        let verifier = SigV4Verifier(credentials: configuration.credentials, now: { Clock.nowSeconds() })
        let pipeline = RequestPipeline(service: service, verifier: verifier, authEnabled: configuration.authEnabled,
                                       region: configuration.defaultRegion,
                                       writesAwaitDurability: !configuration.inMemory && configuration.durability != .none,
                                       maximumBodyBytes: configuration.http.maximumBodyBytes)
        self.pipeline = pipeline
        let requestLogger = logger
        // Writes wait for the log through their answer's deferral (see RequestPipeline): a thread per connection
        // waits, an epoll loop is called back. Operations whose work grows with a table run on the epoll model's
        // blocking pool instead of a loop.
        var httpConfiguration = configuration.http
        httpConfiguration.mayBlock = { request in
            guard let target = request.header("X-Amz-Target") else { return false }
            return OperationTable.runsLong(target: target)
        }
        http = HTTPServer(configuration: httpConfiguration) { request in
            let response = pipeline.respond(to: request)
            requestLogger.debug("\(request.method) \(request.target) \(request.header("X-Amz-Target") ?? "-") → \(response.status)")
            return response
        }
    }

    /// Starts listening; returns once connections are accepted.
    package func start() throws(HTTPServerError) {
        try http.start()
        sweeper.start()
        for trigger in triggers { trigger.start() }
        pipeline.service.observeProvisioning(now: Clock.nowSeconds())
        autoScaling.start()
        endpoint.set("\(configuration.http.host):\(http.boundPort)")
    }

    /// The port the listener is bound to.
    package var port: Int { http.boundPort }

    /// Graceful stop: in-flight requests finish, connections close, the log is flushed and the directory unlocked.
    package func shutdown() {
        http.shutdown()
        sweeper.stop()
        for trigger in triggers { trigger.stop() }
        autoScaling.stop()
        if let store {
            let started = Clock.nowSeconds()
            _ = try? store.checkpoint()
            store.close()
            logger.info("data checkpointed and closed in \(Int((Clock.nowSeconds() - started) * 1000)) ms")
        }
    }
}
