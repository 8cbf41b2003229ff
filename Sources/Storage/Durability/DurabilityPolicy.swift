/// When a write is acknowledged relative to the disk.
package enum DurabilityPolicy: String, Sendable, CaseIterable {
    /// fsync before acknowledging (default): nothing acknowledged is ever lost.
    case fsync
    /// Acknowledge once written to the OS; fsync at most every `batchIntervalMilliseconds`. A power failure can
    /// lose that window; a process crash loses nothing.
    case batch
    /// Acknowledge at once; the log is written in the background. A crash can lose the unwritten tail.
    case none
}
