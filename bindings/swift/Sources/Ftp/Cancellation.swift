// Blocking C calls under Swift structured concurrency.
//
// libftp's calls block their thread, so they never run on the cooperative
// thread pool: each runs as a job on a DispatchQueue of its own (a
// session's serial queue, a pool's concurrent one), and the awaiting task
// is resumed through a continuation when the job ends.
//
// Cancelling the task (withTaskCancellationHandler) cancels the native
// call: ftp_session_cancel (or ftp_pool_cancel) at once, then again every
// 20 ms until the call has returned, because libftp clears a session's
// cancel flag when a call starts, so a cancel that lands just before the
// C call begins would otherwise be lost. A job whose task was cancelled
// before it started does not run at all (CancellationError).

import CFtp
import Dispatch
import Foundation

/// The queue the repeating cancels run on (they only store a flag).
private let cancelQueue = DispatchQueue(label: "libftp.cancel")

/// The cancel state of one blocking call; all of it under `lock`.
final class CallCanceller: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var running = false
    private var timer: DispatchSourceTimer?
    private let cancelNative: () -> Void

    /// `cancelNative` is called only while the call runs (between begin
    /// and end), so the handle it uses is valid then.
    init(_ cancelNative: @escaping () -> Void) {
        self.cancelNative = cancelNative
    }

    /// On the job's thread, before the C call: false when the task was
    /// cancelled already (the call must not run).
    func begin() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if cancelled {
            return false
        }
        running = true
        return true
    }

    /// On the job's thread, once the C call has returned: no cancel
    /// reaches the native handle after this.
    func end() {
        lock.lock()
        running = false
        let t = timer
        timer = nil
        lock.unlock()
        t?.cancel()
    }

    /// From any thread (the task's cancellation handler, FTPClient.cancel).
    func cancel() {
        lock.lock()
        defer { lock.unlock() }
        if cancelled {
            return
        }
        cancelled = true
        guard running else {
            return
        }
        cancelNative()
        let t = DispatchSource.makeTimerSource(queue: cancelQueue)
        t.schedule(deadline: .now() + .milliseconds(20), repeating: .milliseconds(20))
        t.setEventHandler { [weak self] in
            self?.repeatCancel()
        }
        timer = t
        t.resume()
    }

    private func repeatCancel() {
        lock.lock()
        defer { lock.unlock() }
        if running {
            cancelNative()
        }
    }
}

/// Runs `body` as a job on `queue` and awaits its result; cancelling the
/// task cancels the call through `canceller`. `started` (if any) sees the
/// canceller on the job's thread just before `body` runs (FTPClient.cancel
/// uses it to find the running call).
func runBlocking<T>(on queue: DispatchQueue, _ canceller: CallCanceller,
                    started: ((CallCanceller?) -> Void)? = nil,
                    _ body: @escaping () throws -> T) async throws -> T {
    try Task.checkCancellation()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (k: CheckedContinuation<T, Error>) in
            queue.async {
                guard canceller.begin() else {
                    k.resume(throwing: CancellationError())
                    return
                }
                started?(canceller)
                let result = Result<T, Error> { try body() }
                started?(nil)
                canceller.end()
                k.resume(with: result)
            }
        }
    } onCancel: {
        canceller.cancel()
    }
}
