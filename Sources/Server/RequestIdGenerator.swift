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
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(52)
        while bytes.count < 52 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            for _ in 0..<10 where bytes.count < 52 {
                bytes.append(alphabet[Int(z % 36)])
                z /= 36
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
