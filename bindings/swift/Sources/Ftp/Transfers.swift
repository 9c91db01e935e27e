// Transfers with closures (ftplib's retrbinary, storbinary, retrlines):
// libftp calls your closure for each block or line, on the session's
// queue. Streams you read or write yourself are in Streams.swift; whole
// files in Files.swift.

import CFtp
import Foundation

/// Downloads: each block goes to the handler as Data.
final class DataSinkBox: CallbackBox {
    let handler: (Data) throws -> Void

    init(_ handler: @escaping (Data) throws -> Void) {
        self.handler = handler
    }

    static let callback: ftp_data_cb = { userdata, data, len in
        let box = Unmanaged<DataSinkBox>.fromOpaque(userdata!).takeUnretainedValue()
        let chunk = (data != nil && len > 0) ? Data(bytes: data!, count: len) : Data()
        return box.guarded { try box.handler(chunk) }
    }
}

/// Uploads: bytes come from `next(maxCount)` (nil or empty = the end).
final class DataSourceBox: CallbackBox {
    let next: (Int) throws -> Data?
    private var pending = Data()
    private var ended = false

    init(_ next: @escaping (Int) throws -> Data?) {
        self.next = next
    }

    /// Fills buf with up to cap bytes: how many, 0 at the end, -1 to stop.
    func fill(_ buf: UnsafeMutablePointer<UInt8>, _ cap: Int) -> Int64 {
        do {
            if pending.isEmpty {
                if ended {
                    return 0
                }
                guard let chunk = try next(cap), !chunk.isEmpty else {
                    ended = true
                    return 0
                }
                pending = chunk
            }
            let n = min(cap, pending.count)
            pending.copyBytes(to: buf, count: n)
            pending = pending.count > n ? Data(pending.dropFirst(n)) : Data()
            return Int64(n)
        } catch {
            _ = stop(error)
            return -1
        }
    }

    static let callback: ftp_read_cb = { userdata, buf, cap in
        guard let buf = buf, cap > 0 else {
            return 0
        }
        return Unmanaged<DataSourceBox>.fromOpaque(userdata!).takeUnretainedValue().fill(buf, cap)
    }
}

/// Text transfers and NLST/LIST: each line goes to the handler.
final class LineBox: CallbackBox {
    let handler: (String) throws -> Void

    init(_ handler: @escaping (String) throws -> Void) {
        self.handler = handler
    }

    static let callback: ftp_line_cb = { userdata, line, len in
        let box = Unmanaged<LineBox>.fromOpaque(userdata!).takeUnretainedValue()
        let text = fromC(line, count: len)
        return box.guarded { try box.handler(text) }
    }
}

extension FTPClient {
    /// Downloads `path` in binary mode (TYPE I, RETR; REST `offset` first
    /// when given), block by block to `handler`. An error thrown by the
    /// handler or the progress handler stops the transfer (the session
    /// stays usable) and is rethrown.
    public func download(_ path: String, offset: Int64? = nil, blockSize: Int = 0,
                         progress: FTPProgressHandler? = nil, progressInterval: TimeInterval = 0.1,
                         to handler: @escaping (Data) throws -> Void) async throws {
        let cmd = try "RETR " + checked(path, "path")
        let rest = offset ?? -1
        try await core.run { s in
            try withProgress(s, progress, every: progressInterval) {
                try runWithBox(s, DataSinkBox(handler)) { ud in
                    ftp_retrbinary(s, cmd, DataSinkBox.callback, ud, max(blockSize, 0), rest)
                }
            }
        }
    }

    /// Downloads a whole file into memory.
    public func download(_ path: String, offset: Int64? = nil) async throws -> Data {
        final class Collector: @unchecked Sendable { var data = Data() }
        let out = Collector()
        try await download(path, offset: offset) { chunk in out.data.append(chunk) }
        return out.data
    }

    /// Uploads in binary mode (TYPE I, STOR; REST `offset` first when
    /// given) what `source(maxCount)` returns, until it returns nil or
    /// empty Data. An error thrown by `source` stops the upload and is
    /// rethrown; the server keeps the part it received.
    public func upload(_ path: String, offset: Int64? = nil, blockSize: Int = 0,
                       progress: FTPProgressHandler? = nil, progressInterval: TimeInterval = 0.1,
                       from source: @escaping (Int) throws -> Data?) async throws {
        let cmd = try "STOR " + checked(path, "path")
        let rest = offset ?? -1
        try await core.run { s in
            try withProgress(s, progress, every: progressInterval) {
                try runWithBox(s, DataSourceBox(source)) { ud in
                    ftp_storbinary(s, cmd, DataSourceBox.callback, ud, max(blockSize, 0), nil, rest)
                }
            }
        }
    }

    /// Uploads `data` in binary mode (STOR).
    public func upload(_ path: String, data: Data) async throws {
        final class Once: @unchecked Sendable { var sent = false }
        let once = Once()
        try await upload(path) { _ in
            if once.sent {
                return nil
            }
            once.sent = true
            return data
        }
    }

    /// ftplib's retrlines: each line of `command` ("RETR x", "LIST") in
    /// ASCII mode, without its line end, to `handler`.
    public func retrieveLines(_ command: String, _ handler: @escaping (String) throws -> Void) async throws {
        let cmd = try checked(command, "command")
        try await core.run { s in
            try runWithBox(s, LineBox(handler)) { ud in
                ftp_retrlines(s, cmd, LineBox.callback, ud)
            }
        }
    }
}
