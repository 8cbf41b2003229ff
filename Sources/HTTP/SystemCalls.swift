#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of a non-blocking system call: a result, or "would block" as a value.
enum IOResult<Value> {
    case done(Value)
    case wouldBlock
}

/// Every POSIX call of the HTTP layer goes through here: EINTR is retried, EAGAIN/EWOULDBLOCK is a value,
/// EBADF/EFAULT are programming errors (crash), anything else throws with the call's name.
@inline(__always)
func syscall<T: FixedWidthInteger>(_ name: String, _ body: () -> T) throws(HTTPServerError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .done(result) }
        let code = errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        case EBADF, EFAULT: preconditionFailure("\(name) failed with errno \(code): a file descriptor bug")
        default: throw HTTPServerError(call: name, errno: code)
        }
    }
}

/// Puts a file descriptor in non-blocking mode.
func setNonBlocking(_ descriptor: Int32) throws(HTTPServerError) {
    let flags = fcntl(descriptor, F_GETFL, 0)
    guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) >= 0 else {
        throw HTTPServerError(call: "fcntl", errno: errno)
    }
}

/// Runs `body` on a new detached POSIX thread; false when the thread could not be created.
func startDetachedThread(_ body: @escaping @Sendable () -> Void) -> Bool {
    final class Work: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var thread = pthread_t()
    let retained = Unmanaged.passRetained(Work(body)).toOpaque()
    let result = pthread_create(&thread, nil, { argument in
        guard let argument else { return nil }
        Unmanaged<Work>.fromOpaque(argument).takeRetainedValue().body()
        return nil
    }, retained)
    guard result == 0 else {
        Unmanaged<Work>.fromOpaque(retained).release()
        return false
    }
    pthread_detach(thread)
    return true
}
