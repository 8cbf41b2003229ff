import DynamoAPI
import Logging
import Storage

/// A recovered data directory: the durable store, the catalog writing through the stream store and the change
/// fan-out, and the backups and point-in-time histories kept beside the tables.
package struct OpenedDataDirectory: Sendable {
    package let store: DurableStore
    package let streams: StreamStore
    package let catalog: Catalog
    package let recovery: RecoveryServices
    package let report: RecoveryReport

    /// Checkpoints and releases the directory.
    package func close() {
        _ = try? store.checkpoint()
        store.close()
    }
}

/// Opens a data directory the way the server and the shell's export and import commands need it.
package enum DataDirectory {
    package static func open(_ configuration: ServerConfiguration, exportsRoot: String, logger: Logger)
        throws(DurabilityError) -> OpenedDataDirectory
    {
        var options = DurabilityOptions(directory: configuration.dataDirectory)
        options.policy = configuration.durability
        options.batchIntervalMilliseconds = configuration.batchIntervalMilliseconds
        options.checkpointAfterBytes = configuration.checkpointAfterBytes
        options.encryptionKey = configuration.encryptionKey
        options.repair = configuration.repair
        let store = try DurableStore(options: options)
        // Catalog → stream store (numbers each streamed change) → fan-out (point-in-time histories) → the log.
        let fanOut = ChangeFanOut(forwardingTo: store)
        let streams = StreamStore(settings: configuration.streams, downstream: fanOut, clock: { Clock.nowSeconds() })
        let catalog = Catalog(shardCount: configuration.shardsPerTable, changeSink: streams, clock: { Clock.nowSeconds() })
        do throws(DurabilityError) {
            let backups = try BackupStore(directory: configuration.dataDirectory + "/backups",
                                          encryptionKey: configuration.encryptionKey)
            let pointInTime = PointInTimeRecorder(fanOut: fanOut, directory: configuration.dataDirectory + "/pitr",
                                                  encryptionKey: configuration.encryptionKey)
            // Histories load first, so the log replay can fill in what a crash kept from reaching them.
            try pointInTime.loadPersisted()
            store.observeRecovery { pointInTime.replayed($0) }
            store.beforeLogTruncation {
                pointInTime.trimExpired(catalog, now: Clock.nowSeconds())
                pointInTime.sync()
            }
            let report = try store.recover(into: catalog, streams: streams, now: { Clock.nowSeconds() })
            for table in pointInTime.resume(catalog, now: { Clock.nowSeconds() }) {
                logger.warning("point-in-time history of table \(table.name) was missing; it starts again now")
            }
            // A restore a crash interrupted left a partial table: the restore failed, the table goes.
            for (namespace, table) in catalog.allTablesWithNamespaces() where table.definition.restoreSummary?.inProgress == true {
                _ = try? catalog.deleteTable(named: table.name, in: namespace)
                logger.warning("table \(table.name) was being restored when the server stopped; the partial table was deleted")
            }
            return OpenedDataDirectory(store: store, streams: streams, catalog: catalog,
                                       recovery: RecoveryServices(fanOut: fanOut, backups: backups, pointInTime: pointInTime,
                                                                  exportsRoot: exportsRoot),
                                       report: report)
        } catch {
            store.close()
            throw error
        }
    }
}
