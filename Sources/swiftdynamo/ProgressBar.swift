import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line on standard error, redrawn at most ten times a second: a bar, counts, bytes, rate and time left.
final class ProgressBar {
    private let unit: String
    private let started = DispatchTime.now().uptimeNanoseconds
    private var lastDrawn: UInt64 = 0

    init(unit: String) {
        self.unit = unit
    }

    func update(done: Int, total: Int?, bytes: Int, force: Bool = false) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard force || now - lastDrawn >= 100_000_000 else { return }
        lastDrawn = now
        let seconds = max(Double(now - started) / 1e9, 0.001)
        let rate = Double(done) / seconds
        var line = "\r"
        if let total, total > 0 {
            let fraction = min(1, Double(done) / Double(total))
            let filled = Int(fraction * 30)
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] "
            line += "\(Int(fraction * 100))%  \(Self.grouped(done))/\(Self.grouped(total)) \(unit)"
            if rate > 0, done < total { line += "  ETA \(Self.duration(Double(total - done) / rate))" }
        } else {
            line += "\(Self.grouped(done)) \(unit)"
        }
        line += "  \(Self.size(bytes))  \(Self.grouped(Int(rate))) \(unit)/s   "
        Self.writeToStandardError(line)
    }

    func finish() { Self.writeToStandardError("\n") }

    /// Unbuffered, so the line shows at once.
    static func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    static func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }

    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1 << 20 { return "\(bytes / 1024) KB" }
        return "\(Double(bytes * 10 / (1 << 20)) / 10) MB"
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole < 60 ? "\(whole)s" : "\(whole / 60)m\(whole % 60)s"
    }
}
