/// Latency samples (nanoseconds) and their percentiles, exact (the samples are sorted once).
struct LatencyStatistics {
    private(set) var samples: [UInt64] = []
    var errors = 0

    mutating func record(_ nanoseconds: UInt64) { samples.append(nanoseconds) }

    mutating func merge(_ other: LatencyStatistics) {
        samples.append(contentsOf: other.samples)
        errors += other.errors
    }

    /// The value below which `fraction` of the samples fall (nearest-rank); 0 without samples.
    func percentile(_ fraction: Double, sorted: [UInt64]) -> UInt64 {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// p50, p90, p99, p99.9 and max, in microseconds.
    func summary() -> (p50: Double, p90: Double, p99: Double, p999: Double, max: Double) {
        let sorted = samples.sorted()
        func micros(_ value: UInt64) -> Double { Double(value) / 1000 }
        return (micros(percentile(0.5, sorted: sorted)), micros(percentile(0.9, sorted: sorted)),
                micros(percentile(0.99, sorted: sorted)), micros(percentile(0.999, sorted: sorted)), micros(sorted.last ?? 0))
    }
}
