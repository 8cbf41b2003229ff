#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind an adaptive mutex: the same shape as `Mutex.withLock`, for state written on the request path.
///
/// Why not `Mutex`: on Linux, `Mutex` is a priority-inheritance futex, so every contended acquisition is a system
/// call into the kernel's rt-mutex code. With 64 connection threads on 2 cores, the holder of a short critical
/// section (a usage counter, a sequence number) is often preempted inside it, and every waiter then pays that system
/// call: the profile showed 15% of the server's CPU in `Mutex`'s slow path on one usage ledger. An adaptive glibc
/// mutex spins briefly before it sleeps, and its uncontended path is one atomic instruction, as `Mutex`'s is.
///
/// Thread safety: `value` is touched only inside `withLock`.
public final class Lock<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        #if canImport(Glibc)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        #endif
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
