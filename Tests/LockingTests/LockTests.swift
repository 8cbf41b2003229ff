import Dispatch
import Locking
import Testing

@Suite("Adaptive lock")
struct LockTests {
    @Test("Concurrent increments are never lost")
    func concurrentIncrementsAreNeverLost() {
        let lock = Lock(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<10_000 { lock.withLock { $0 += 1 } }
        }
        #expect(lock.withLock { $0 } == 80_000)
    }

    @Test("Errors thrown inside the lock pass through and release it")
    func errorsReleaseTheLock() {
        struct Refused: Error {}
        let lock = Lock([1])
        #expect(throws: Refused.self) { try lock.withLock { (_: inout [Int]) throws(Refused) in throw Refused() } }
        lock.withLock { $0.append(2) }
        #expect(lock.withLock { $0 } == [1, 2])
    }
}
