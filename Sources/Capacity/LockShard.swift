import Locking

/// One lock shard: a value behind its own adaptive lock (see `Lock` for why not `Mutex`), in a class so shards can sit
/// in an array.
final class LockShard<Value: Sendable>: Sendable {
    private let state: Lock<Value>

    init(_ value: Value) { state = Lock(value) }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try state.withLock { try body(&$0) }
    }

    /// Sixteen shards, and the one a table id maps to.
    static func shards(_ make: () -> Value) -> [LockShard<Value>] { (0..<16).map { _ in LockShard(make()) } }

    static func shard(for tableId: String, in shards: [LockShard<Value>]) -> LockShard<Value> {
        shards[Int(UInt(bitPattern: tableId.hashValue) % UInt(shards.count))]
    }
}
