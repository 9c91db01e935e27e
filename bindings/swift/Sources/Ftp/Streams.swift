// Streams over ftp_transfercmd: a download you read (FTPReader, also an
// AsyncSequence of Data chunks) and an upload you write (FTPWriter).
//
// While a stream is open its session accepts no other call (libftp
// answers FTP_ERROR_STATE). Each read and write is a call on the
// session's queue and follows task cancellation like any other.
// `close()` ends the data connection and reads the server's final reply;
// a stream dropped without close is closed on the session's queue (its
// final reply read and dropped) so the session stays in step.

import CFtp
import Foundation

/// The transfer handle; all access is on the session's queue.
final class TransferState: @unchecked Sendable {
    var t: OpaquePointer?
    var eof = false
    var failed = false

    init(_ t: OpaquePointer) {
        self.t = t
    }

    /// Throws the transfer's error (ftp_transfer_last_error).
    func checkTransfer(_ r: ftp_result) throws {
        if r != FTP_OK {
            failed = true
            let why = t.flatMap { fromC(ftp_transfer_last_error($0)) } ?? ""
            throw ftpError(r, message: why)
        }
    }

    /// Closes the data connection and reads the final reply: its error
    /// after a complete transfer; after one stopped early the 426 (or any
    /// 4xx/5xx) is expected and not an error.
    func finish(_ s: OpaquePointer, complete: Bool) throws {
        guard let open = t else {
            return
        }
        t = nil
        let r = ftp_transfer_close(open)
        if r == FTP_OK && complete {
            try check(s, ftp_voidresp(s))
            return
        }
        let reply = ftp_getresp(s)
        if r != FTP_OK {
            throw ftpError(r, message: "closing the data connection failed")
        }
        if reply != FTP_OK && reply != FTP_ERROR_TEMP && reply != FTP_ERROR_PERM {
            try check(s, reply)
        }
    }
}

/// What FTPReader and FTPWriter share: the session and the open transfer.
public class FTPStream: @unchecked Sendable {
    let core: SessionCore
    let state: TransferState

    init(_ core: SessionCore, _ t: OpaquePointer) {
        self.core = core
        self.state = TransferState(t)
    }

    deinit {
        let state = self.state
        if state.t != nil {
            core.queue.async { [core] in
                try? state.finish(core.s, complete: false)
            }
        }
    }

    /// Whether a close now ends a complete transfer (then the final
    /// reply's error counts); read on the session's queue.
    var completeOnClose: Bool {
        return false
    }

    /// Ends the transfer and reads the final reply. A download closed
    /// before its end is stopped (the connection is reset; the server's
    /// 426 is expected); an upload is ended in order. Safe to call twice.
    public func close() async throws {
        let state = self.state
        try await core.run { [self] s in try state.finish(s, complete: completeOnClose) }
    }
}

/// An open binary download: read it to the end (nil), then close it.
/// As an AsyncSequence it yields chunks of up to 64 KiB and closes itself
/// at the end (the final reply's error is thrown by the loop).
public final class FTPReader: FTPStream, AsyncSequence {
    public typealias Element = Data

    override var completeOnClose: Bool {
        return state.eof
    }

    /// Up to `maxLength` bytes; nil at the end of the file.
    public func read(upTo maxLength: Int = 65536) async throws -> Data? {
        let cap = max(maxLength, 1)
        let state = self.state
        return try await core.run { _ in
            guard let t = state.t else {
                throw FTPError.invalid("read on a closed FTPReader")
            }
            if state.eof {
                return nil
            }
            var buf = [UInt8](repeating: 0, count: cap)
            var n = 0
            try state.checkTransfer(buf.withUnsafeMutableBufferPointer { ftp_transfer_read(t, $0.baseAddress!, cap, &n) })
            if n == 0 {
                state.eof = true
                return nil
            }
            return Data(buf[0..<n])
        }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let reader: FTPReader

        public mutating func next() async throws -> Data? {
            if let chunk = try await reader.read() {
                return chunk
            }
            try await reader.close()
            return nil
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        return AsyncIterator(reader: self)
    }
}

/// An open binary upload: write the data, then close it, which reads the
/// server's final reply (226 expected; after a failed write the server
/// keeps the part it received).
public final class FTPWriter: FTPStream {
    override var completeOnClose: Bool {
        return !state.failed
    }

    /// Sends all of `data`.
    public func write(_ data: Data) async throws {
        let state = self.state
        try await core.run { (_: OpaquePointer) throws -> Void in
            guard let t = state.t else {
                throw FTPError.invalid("write on a closed FTPWriter")
            }
            try withBytes(data) { p, n in try state.checkTransfer(ftp_transfer_write(t, p, n)) }
        }
    }
}

extension FTPClient {
    /// Opens a binary download of `path` (TYPE I, REST `offset` when
    /// given, RETR) as a stream.
    public func openRead(_ path: String, offset: Int64? = nil) async throws -> FTPReader {
        let t = try await openTransfer("RETR " + checked(path, "path"), offset)
        return FTPReader(core, t)
    }

    /// Opens a binary upload to `path` (TYPE I, REST `offset` when given,
    /// STOR) as a stream.
    public func openWrite(_ path: String, offset: Int64? = nil) async throws -> FTPWriter {
        let t = try await openTransfer("STOR " + checked(path, "path"), offset)
        return FTPWriter(core, t)
    }

    private func openTransfer(_ cmd: String, _ offset: Int64?) async throws -> OpaquePointer {
        let rest = offset ?? -1
        return try await core.run { s in
            try check(s, ftp_voidcmd(s, "TYPE I"))
            var t: OpaquePointer?
            try check(s, ftp_transfercmd(s, cmd, rest, &t))
            guard let open = t else {
                throw FTPError.internalFailure("ftp_transfercmd gave no transfer")
            }
            return open
        }
    }
}
