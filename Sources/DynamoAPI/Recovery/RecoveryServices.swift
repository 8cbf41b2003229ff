import Storage

/// What backups, point-in-time recovery and exports work with: the change fan-out the catalog writes through, the
/// backup store, the point-in-time recorder and the directory that stands in for S3.
package final class RecoveryServices: Sendable {
    package let fanOut: ChangeFanOut
    package let backups: BackupStore
    package let pointInTime: PointInTimeRecorder
    /// `S3Bucket`/`S3Prefix` of exports and imports resolve under this directory.
    package let exportsRoot: String
    /// Exports and imports started since the server did.
    let transfers = TransferRegistry()

    package init(fanOut: ChangeFanOut, backups: BackupStore, pointInTime: PointInTimeRecorder, exportsRoot: String) {
        self.fanOut = fanOut
        self.backups = backups
        self.pointInTime = pointInTime
        self.exportsRoot = exportsRoot
    }

    /// Everything in memory, for a catalog whose change sink is `fanOut` (and for tests).
    package static func inMemory(fanOut: ChangeFanOut = ChangeFanOut(forwardingTo: nil),
                                 exportsRoot: String = "/tmp/swiftdynamo-s3") -> RecoveryServices {
        // A store without a directory cannot fail to open.
        let backups = (try? BackupStore(directory: nil)) ?? BackupStore.empty
        return RecoveryServices(fanOut: fanOut, backups: backups,
                                pointInTime: PointInTimeRecorder(fanOut: fanOut, directory: nil), exportsRoot: exportsRoot)
    }
}
