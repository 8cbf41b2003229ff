import Dispatch

/// A serial queue owning a set of connections, with a timer that closes expired ones. Connections are spread over a
/// few workers so that handlers run on every core while each connection's requests stay in order.
///
/// Thread safety: `connections` and `isShuttingDown` are touched only on `queue`.
final class Worker: @unchecked Sendable {
    let queue: DispatchQueue
    private var connections: [Int32: Connection] = [:]
    private(set) var isShuttingDown = false
    private var timer: (any DispatchSourceTimer)?
    /// Scratch space for socket reads, shared by this worker's connections (they run one at a time on `queue`);
    /// allocated once, so a request costs no 64 KiB allocation.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 16)

    init(index: Int) {
        queue = DispatchQueue(label: "swiftdynamo.http.worker.\(index)")
    }

    deinit { readBuffer.deallocate() }

    /// Starts the once-a-second expiry sweep.
    func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 1, repeating: 1, leeway: .milliseconds(100))
        timer.setEventHandler { [unowned self] in self.sweep() }
        timer.resume()
        self.timer = timer
    }

    func add(_ connection: Connection) {
        if isShuttingDown {
            connection.start()
            connection.shutdownConnection()
            return
        }
        connections[connection.descriptor] = connection
        connection.start()
    }

    func remove(_ connection: Connection) {
        if connections[connection.descriptor] === connection { connections[connection.descriptor] = nil }
    }

    var connectionCount: Int { connections.count }

    private func sweep() {
        let now = monotonicMilliseconds()
        for connection in connections.values where connection.hasExpired(nowMilliseconds: now) {
            connection.shutdownConnection()
        }
    }

    /// Stops taking new requests: idle connections close now, busy ones after their current request.
    func beginShutdown() {
        isShuttingDown = true
        for connection in Array(connections.values) { connection.beginClosing() }
    }

    /// Closes everything left and stops the timer.
    func forceClose() {
        for connection in Array(connections.values) { connection.shutdownConnection() }
        timer?.cancel()
        timer = nil
    }
}
