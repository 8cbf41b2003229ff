import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection: reads bytes, parses requests, answers them in order, writes responses.
///
/// Thread safety: every member is touched only on `worker.queue` (a serial queue); Dispatch sources deliver there.
/// Invariants: responses are appended in request order; after `closeAfterFlush` no further request is handled; the
/// descriptor is closed exactly once, by the read source's cancel handler.
final class Connection: @unchecked Sendable {
    let descriptor: Int32
    unowned let worker: Worker
    private let handler: HTTPServer.Handler
    private var parser: HTTPRequestParser
    private var output: [UInt8] = []
    private var outputOffset = 0
    private let readSource: any DispatchSourceRead
    private var writeSource: (any DispatchSourceWrite)?
    private var writeSourceActive = false
    private var readSuspended = false
    private(set) var closeAfterFlush = false
    private(set) var isClosed = false
    private var deadline: ConnectionDeadline

    /// Reading pauses while this much output waits for a slow reader (backpressure).
    private static let maximumPendingOutput = 4 * 1024 * 1024

    init(descriptor: Int32, worker: Worker, configuration: HTTPServerConfiguration, handler: @escaping HTTPServer.Handler) {
        self.descriptor = descriptor
        self.worker = worker
        self.handler = handler
        parser = configuration.makeParser()
        deadline = configuration.makeDeadline()
        readSource = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: worker.queue)
    }

    /// Starts reading. Must be called on the worker's queue.
    func start() {
        let fd = descriptor
        readSource.setEventHandler { [unowned self] in self.readable() }
        readSource.setCancelHandler { _ = close(fd) }
        readSource.resume()
    }

    /// Whether the connection is between requests with nothing left to write.
    var isIdle: Bool { !parser.hasPartialRequest && outputOffset == output.count }

    func hasExpired(nowMilliseconds: Int64) -> Bool { deadline.hasExpired(nowMilliseconds: nowMilliseconds) }

    /// During shutdown: finish what is in progress, then close.
    func beginClosing() {
        closeAfterFlush = true
        if isIdle { shutdownConnection() }
    }

    private func readable() {
        // The worker's buffer: connections of one worker run one at a time on its queue.
        let chunk = worker.readBuffer
        var sawEndOfFile = false
        readLoop: while !isClosed {
            let attempt = Result { () throws(HTTPServerError) in
                try syscall("read") { read(descriptor, chunk.baseAddress, chunk.count) }
            }
            guard case .success(let result) = attempt else {
                shutdownConnection()
                return
            }
            switch result {
            case .wouldBlock:
                break readLoop
            case .done(0):
                sawEndOfFile = true
                break readLoop
            case .done(let count):
                if !closeAfterFlush || parser.hasPartialRequest {
                    handle(parser.feed(UnsafeRawBufferPointer(rebasing: chunk[0..<count])))
                }
                if count < chunk.count { break readLoop }
            }
        }
        deadline.received(partial: parser.hasPartialRequest, nowMilliseconds: monotonicMilliseconds())
        if sawEndOfFile { closeAfterFlush = true }
        flush()
    }

    private func handle(_ events: [HTTPRequestParser.Event]) {
        guard !closeAfterFlush else { return }
        if EventResponder.answer(events, handler: handler, shuttingDown: worker.isShuttingDown, to: &output) {
            closeAfterFlush = true
        }
    }

    /// Writes pending output; waits for writability when the socket is full.
    private func flush() {
        while outputOffset < output.count && !isClosed {
            let offset = outputOffset
            let attempt = output.withUnsafeBytes { buffer in
                Result { () throws(HTTPServerError) in
                    try syscall("send") {
                        send(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    }
                }
            }
            guard case .success(let result) = attempt else {
                shutdownConnection()
                return
            }
            switch result {
            case .done(let count):
                outputOffset += count
            case .wouldBlock:
                awaitWritable()
                return
            }
        }
        output.removeAll(keepingCapacity: output.capacity <= 1 << 20)
        outputOffset = 0
        if writeSourceActive {
            writeSource?.suspend()
            writeSourceActive = false
        }
        if readSuspended {
            readSource.resume()
            readSuspended = false
        }
        if closeAfterFlush && !parser.hasPartialRequest { shutdownConnection() }
    }

    private func awaitWritable() {
        if output.count - outputOffset > Self.maximumPendingOutput && !readSuspended {
            readSource.suspend()
            readSuspended = true
        }
        if writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: descriptor, queue: worker.queue)
            source.setEventHandler { [unowned self] in self.flush() }
            writeSource = source
        }
        if !writeSourceActive {
            writeSource?.resume()
            writeSourceActive = true
        }
    }

    /// Closes the connection: cancels the sources (the read source's cancel handler closes the descriptor).
    func shutdownConnection() {
        guard !isClosed else { return }
        isClosed = true
        if let writeSource {
            if !writeSourceActive { writeSource.resume() }
            writeSource.cancel()
        }
        if readSuspended { readSource.resume() }
        readSource.cancel()
        worker.remove(self)
    }
}
