import Synchronization

/// One lock shard: a value behind its own Mutex, in a class so shards can sit in an array.
final class LockShard<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: Value) { state = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try state.withLock { try body(&$0) }
    }

    /// Sixteen shards, and the one a table id maps to.
    static func shards(_ make: () -> Value) -> [LockShard<Value>] { (0..<16).map { _ in LockShard(make()) } }

    static func shard(for tableId: String, in shards: [LockShard<Value>]) -> LockShard<Value> {
        shards[Int(UInt(bitPattern: tableId.hashValue) % UInt(shards.count))]
    }
}
