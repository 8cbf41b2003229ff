import Dispatch
import Locking

/// Threads on which the epoll loops run handlers that may take a while (`HTTPServerConfiguration.mayBlock`).
///
/// Why: a loop busy with one long request would hold up every connection it serves. On the pool, the long request
/// has a thread of its own, as with the threaded model, while the loops go on answering the others.
///
/// Thread safety: the job queue is behind a lock; each job runs on one of the pool's threads.
final class BlockingPool: Sendable {
    private struct Queue {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
    }

    private let queue = Lock(Queue())
    private let available = DispatchSemaphore(value: 0)
    private let threadCount: Int

    /// Starts `threads` threads; nil when not one could start.
    init?(threads: Int) {
        threadCount = max(1, threads)
        var started = 0
        for _ in 0..<threadCount where startDetachedThread({ [self] in work() }) { started += 1 }
        if started == 0 { return nil }
    }

    /// Runs `job` on a pool thread, after the jobs submitted before it have started.
    func submit(_ job: @escaping @Sendable () -> Void) {
        queue.withLock { $0.jobs.append(job) }
        available.signal()
    }

    /// Ends every thread once the jobs already submitted have started.
    func stop() {
        for _ in 0..<threadCount { available.signal() }
    }

    private func work() {
        while true {
            available.wait()
            // Each job comes with one signal; a signal with no job is `stop`'s.
            let job = queue.withLock { queue -> (@Sendable () -> Void)? in
                guard queue.head < queue.jobs.count else { return nil }
                let job = queue.jobs[queue.head]
                queue.head += 1
                if queue.head == queue.jobs.count {
                    queue.jobs.removeAll(keepingCapacity: true)
                    queue.head = 0
                }
                return job
            }
            guard let job else { return }
            job()
        }
    }
}
