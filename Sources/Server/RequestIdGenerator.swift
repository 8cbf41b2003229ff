import Synchronization

/// Request ids shaped like DynamoDB's: 52 characters of [A-Z0-9].
final class RequestIdGenerator: Sendable {
    private let state = Atomic<UInt64>(0)
    private let seed: UInt64

    init() {
        var generator = SystemRandomNumberGenerator()
        seed = generator.next()
    }

    func next() -> String {
        let counter = state.wrappingAdd(1, ordering: .relaxed).newValue
        // SplitMix64 over (seed, counter): each id uses its own run of 8 generator states, so ids never overlap.
        var x = (seed &+ (counter << 3)) &* 0x9E37_79B9_7F4A_7C15
        return String(unsafeUninitializedCapacity: 52) { bytes in
            var count = 0
            while count < 52 {
                x &+= 0x9E37_79B9_7F4A_7C15
                var z = x
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                // Each multiplication by 36 moves the next base-36 digit of the fraction z/2^64 into the high
                // word: a digit per multiply, where division by 36 costs tens of cycles.
                for _ in 0..<10 where count < 52 {
                    let (digit, rest) = z.multipliedFullWidth(by: 36)
                    // A–Z, then 0–9.
                    bytes[count] = digit < 26 ? 0x41 &+ UInt8(truncatingIfNeeded: digit)
                                              : 0x16 &+ UInt8(truncatingIfNeeded: digit)
                    count += 1
                    z = rest
                }
            }
            return count
        }
    }
}
