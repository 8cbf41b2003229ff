/// When a connection should be closed for inactivity: pure, driven by a clock value passed in.
///
/// Idle (no request in progress): closed after `idleTimeoutMilliseconds` since the last activity.
/// Partial request (a slow client): closed after `requestTimeoutMilliseconds` since the request began.
struct ConnectionDeadline {
    let idleTimeoutMilliseconds: Int
    let requestTimeoutMilliseconds: Int
    private(set) var lastActivityMilliseconds: Int64
    private(set) var requestStartedMilliseconds: Int64?

    init(idleTimeoutMilliseconds: Int, requestTimeoutMilliseconds: Int, nowMilliseconds: Int64) {
        self.idleTimeoutMilliseconds = idleTimeoutMilliseconds
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        lastActivityMilliseconds = nowMilliseconds
    }

    /// Bytes arrived; `partial` says whether a request is now incomplete in the buffer.
    mutating func received(partial: Bool, nowMilliseconds: Int64) {
        lastActivityMilliseconds = nowMilliseconds
        if partial {
            if requestStartedMilliseconds == nil { requestStartedMilliseconds = nowMilliseconds }
        } else {
            requestStartedMilliseconds = nil
        }
    }

    /// Milliseconds until `hasExpired` becomes true (0 when it already is).
    func millisecondsLeft(nowMilliseconds: Int64) -> Int64 {
        let limit = requestStartedMilliseconds.map { $0 + Int64(requestTimeoutMilliseconds) }
            ?? lastActivityMilliseconds + Int64(idleTimeoutMilliseconds)
        return max(0, limit - nowMilliseconds)
    }

    /// Whether the connection has outstayed its welcome.
    func hasExpired(nowMilliseconds: Int64) -> Bool {
        if let started = requestStartedMilliseconds {
            return nowMilliseconds - started >= Int64(requestTimeoutMilliseconds)
        }
        return nowMilliseconds - lastActivityMilliseconds >= Int64(idleTimeoutMilliseconds)
    }
}

/// Monotonic milliseconds for timeouts.
func monotonicMilliseconds() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
