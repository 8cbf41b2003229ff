/// SplitMix64: fast, seedable, good enough for choosing keys.
struct BenchRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// How keys are chosen: uniformly, or YCSB's zipfian (constant 0.99, popular keys scattered by a hash).
enum KeyChooser {
    case uniform(count: Int)
    case zipfian(Zipfian)

    func next(_ random: inout BenchRandom) -> Int {
        switch self {
        case .uniform(let count): return Int(random.next() % UInt64(max(count, 1)))
        case .zipfian(let zipfian): return zipfian.next(&random)
        }
    }
}

/// YCSB's zipfian generator (Gray et al., "Quickly generating billion-record synthetic databases").
struct Zipfian {
    let items: Int
    let theta: Double
    let alpha: Double
    let zetan: Double
    let eta: Double
    let scatter: Bool

    init(items: Int, theta: Double = 0.99, scatter: Bool = true) {
        self.items = max(items, 1)
        self.theta = theta
        self.scatter = scatter
        var zeta = 0.0
        for index in 1...self.items { zeta += 1.0 / pow(Double(index), theta) }
        zetan = zeta
        let zeta2 = 1.0 + 1.0 / pow(2.0, theta)
        alpha = 1.0 / (1.0 - theta)
        eta = (1.0 - pow(2.0 / Double(self.items), 1.0 - theta)) / (1.0 - zeta2 / zetan)
    }

    /// The rank (0 = most popular) of the next key.
    func rank(_ random: inout BenchRandom) -> Int {
        let u = random.unit()
        let uz = u * zetan
        if uz < 1.0 { return 0 }
        if uz < 1.0 + pow(0.5, theta) { return 1 }
        return min(items - 1, Int(Double(items) * pow(eta * u - eta + 1.0, alpha)))
    }

    func next(_ random: inout BenchRandom) -> Int {
        let value = rank(&random)
        guard scatter else { return value }
        // FNV-1a over the rank spreads the popular keys across the key space, as YCSB does.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var rankBits = UInt64(value)
        for _ in 0..<8 {
            hash ^= rankBits & 0xFF
            hash &*= 0x0000_0100_0000_01B3
            rankBits >>= 8
        }
        return Int(hash % UInt64(items))
    }
}

import Foundation
