// Progress reports (ftp_set_progress_callback, ftp_pool_set_progress_callback)
// and the userdata boxes through which C callbacks reach Swift closures.
//
// A box is a class instance passed to C as `userdata`
// (Unmanaged.passUnretained(box).toOpaque()) and kept alive for as long as
// C may call back (withExtendedLifetime around the call, or held by the
// pool). The C callbacks are closure literals that capture nothing: they
// turn `userdata` back into the box and let it do the work. An error
// thrown by your closure stops the transfer (the callback returns
// non-zero) and is rethrown, unchanged, once the C call has returned.

import CFtp
import Foundation

/// One progress report of a transfer.
public struct FTPProgress: Sendable {
    /// The remote path in transfer ("dir/x" for "RETR dir/x").
    public let path: String
    /// Bytes moved on the data connection so far in this transfer.
    public let bytes: UInt64
    /// Where the transfer started in the file (a resume's REST offset).
    public let offset: UInt64
    /// The whole file's size, when known.
    public let total: Int64?
    /// Seconds since the data connection opened.
    public let elapsed: TimeInterval

    init(_ p: ftp_progress) {
        path = fromC(p.path) ?? ""
        bytes = p.bytes
        offset = p.offset
        total = p.total >= 0 ? p.total : nil
        elapsed = p.elapsed_s
    }

    /// (offset + bytes) / total, or nil when the size is unknown.
    public var fractionCompleted: Double? {
        guard let t = total, t > 0 else {
            return nil
        }
        return Double(offset + bytes) / Double(t)
    }
}

/// A progress handler: throw to stop the transfer (the error is rethrown
/// by the call). Runs on the thread of the C call.
public typealias FTPProgressHandler = (FTPProgress) throws -> Void

/// The common part of the boxes: the first error a closure threw.
class CallbackBox {
    private let lock = NSLock()
    private var thrown: Error?

    /// Records the first error (later ones are dropped); returns 1, the
    /// "stop" answer of the C callbacks.
    func stop(_ e: Error) -> Int32 {
        lock.lock()
        if thrown == nil {
            thrown = e
        }
        lock.unlock()
        return 1
    }

    /// The error a closure threw during the call, if any (then rethrown
    /// instead of the FTP_ERROR_CALLBACK it caused).
    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return thrown
    }

    /// Runs a closure for a C callback: 0 to go on, 1 after an error.
    func guarded(_ body: () throws -> Void) -> Int32 {
        do {
            try body()
            return 0
        } catch {
            return stop(error)
        }
    }
}

/// Progress reports go to a handler.
final class ProgressBox: CallbackBox {
    let handler: FTPProgressHandler

    init(_ handler: @escaping FTPProgressHandler) {
        self.handler = handler
    }

    /// The C callback (an ftp_progress_cb) for a ProgressBox userdata.
    static let callback: ftp_progress_cb = { userdata, p in
        let box = Unmanaged<ProgressBox>.fromOpaque(userdata!).takeUnretainedValue()
        guard let p = p else {
            return 0
        }
        let report = FTPProgress(p.pointee)
        return box.guarded { try box.handler(report) }
    }
}

/// Runs `body` on session `s` with progress reports to `handler` (none
/// when nil), and turns the reports off again afterwards. On the
/// session's queue, inside one job. Rethrows the handler's error first.
func withProgress<T>(_ s: OpaquePointer, _ handler: FTPProgressHandler?, every interval: TimeInterval,
                     _ body: () throws -> T) throws -> T {
    guard let handler = handler else {
        return try body()
    }
    let box = ProgressBox(handler)
    let ms = UInt32(clamping: milliseconds(interval))
    return try withExtendedLifetime(box) { () throws -> T in
        try check(s, ftp_set_progress_callback(s, ProgressBox.callback, Unmanaged.passUnretained(box).toOpaque(), ms))
        defer { _ = ftp_set_progress_callback(s, nil, nil, 0) }
        do {
            let value = try body()
            return value
        } catch {
            throw box.error ?? error
        }
    }
}

/// Runs a C call that takes `box` as userdata: an error thrown by one of
/// the box's closures comes first, then the session's error.
func runWithBox<B: CallbackBox>(_ s: OpaquePointer, _ box: B,
                                _ call: (UnsafeMutableRawPointer) -> ftp_result) throws {
    let r = withExtendedLifetime(box) {
        call(Unmanaged.passUnretained(box).toOpaque())
    }
    if let e = box.error {
        throw e
    }
    try check(s, r)
}
