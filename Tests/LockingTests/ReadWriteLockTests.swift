import Dispatch
import Locking
import Testing

@Suite("Readers-writer lock")
struct ReadWriteLockTests {
    @Test("Concurrent writers never lose an increment; readers always see a whole value")
    func writersAreExclusiveAndReadersSeeWholeValues() {
        let lock = ReadWriteLock((0, 0))
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for _ in 0..<5_000 {
                if worker % 2 == 0 {
                    lock.withLock { pair in
                        pair.0 += 1
                        pair.1 += 1
                    }
                } else {
                    let (first, second) = lock.withReadLock { $0 }
                    #expect(first == second)
                }
            }
        }
        #expect(lock.withReadLock { $0.0 } == 4 * 5_000)
    }

    @Test("Errors thrown inside the lock pass through and release it")
    func errorsReleaseTheLock() {
        struct Refused: Error {}
        let lock = ReadWriteLock(1)
        #expect(throws: Refused.self) { try lock.withLock { (_: inout Int) throws(Refused) in throw Refused() } }
        #expect(throws: Refused.self) { try lock.withReadLock { (_: borrowing Int) throws(Refused) in throw Refused() } }
        lock.withLock { $0 = 2 }
        #expect(lock.withReadLock { $0 } == 2)
    }
}
