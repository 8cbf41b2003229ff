import Histogram

/// Latencies (recorded in nanoseconds) in an HDR histogram: constant memory however long the run, percentiles to
/// three significant digits, mergeable across connections.
struct LatencyStatistics {
    /// One nanosecond to one minute; slower answers are clamped to a minute and still counted.
    private static let highest: UInt64 = 60_000_000_000
    private var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: highest,
                                              numberOfSignificantValueDigits: .three)
    var errors = 0

    /// Successful operations recorded.
    var count: Int { Int(histogram.totalCount) }

    mutating func record(_ nanoseconds: UInt64) { _ = histogram.record(min(max(nanoseconds, 1), Self.highest)) }

    mutating func merge(_ other: LatencyStatistics) {
        histogram.add(other.histogram)
        errors += other.errors
    }

    /// The latency at or below which `percent` of operations completed, in microseconds.
    func micros(atPercentile percent: Double) -> Double { Double(histogram.valueAtPercentile(percent)) / 1000 }

    /// p50, p90, p99, p99.9 and max, in microseconds.
    func summary() -> (p50: Double, p90: Double, p99: Double, p999: Double, max: Double) {
        (micros(atPercentile: 50), micros(atPercentile: 90), micros(atPercentile: 99), micros(atPercentile: 99.9),
         Double(histogram.max) / 1000)
    }
}
