// A thin Swift wrapper over libftp's C API (include/ftp.h, module CFtp).
//
// - Every failing call throws an FTPError (the ftp_result, the server's reply
//   code and text, and ftp_last_error's sentence).
// - Swift closures reach the C callbacks through a box object passed as
//   `userdata` (Unmanaged.passUnretained(box).toOpaque()); the box is kept
//   alive for the whole call (withExtendedLifetime). An error thrown by a
//   closure stops the transfer (the callback returns non-zero) and is
//   rethrown, unchanged, once the C call has returned.
// - An FTPClient is used by one thread at a time; different clients are
//   independent.
//
// Written without a Swift toolchain at hand: see README.md and check.sh.

import CFtp
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Errors

/// The ftp_result of include/ftp.h (Python ftplib's error classes in the comments).
public enum FTPResult: Int, CustomStringConvertible {
    case ok = 0
    case reply = 1            // error_reply: an unexpected 1xx/2xx/3xx reply
    case temp = 2             // error_temp: a 4xx reply
    case perm = 3             // error_perm: a 5xx reply
    case proto = 4            // error_proto
    case io = 5               // OSError
    case eof = 6              // EOFError
    case timeout = 7
    case tls = 8
    case invalidArgument = 9
    case state = 10
    case callback = 11
    case encoding = 12
    case internalError = 13
    case cancelled = 14
    case verify = 15
    case unknown = 999

    init(_ r: ftp_result) {
        self = FTPResult(rawValue: Int(r.rawValue)) ?? .unknown
    }

    /// The C name, e.g. "FTP_ERROR_PERM".
    public var description: String {
        switch self {
        case .ok: return "FTP_OK"
        case .reply: return "FTP_ERROR_REPLY"
        case .temp: return "FTP_ERROR_TEMP"
        case .perm: return "FTP_ERROR_PERM"
        case .proto: return "FTP_ERROR_PROTO"
        case .io: return "FTP_ERROR_IO"
        case .eof: return "FTP_ERROR_EOF"
        case .timeout: return "FTP_ERROR_TIMEOUT"
        case .tls: return "FTP_ERROR_TLS"
        case .invalidArgument: return "FTP_ERROR_INVALID_ARGUMENT"
        case .state: return "FTP_ERROR_STATE"
        case .callback: return "FTP_ERROR_CALLBACK"
        case .encoding: return "FTP_ERROR_ENCODING"
        case .internalError: return "FTP_ERROR_INTERNAL"
        case .cancelled: return "FTP_ERROR_CANCELLED"
        case .verify: return "FTP_ERROR_VERIFY"
        case .unknown: return "FTP_UNKNOWN_RESULT"
        }
    }
}

/// A failed libftp call.
public struct FTPError: Error, CustomStringConvertible {
    /// The result of the call.
    public let result: FTPResult
    /// The 3-digit code of the server's reply; 0 if there was none.
    public let replyCode: Int
    /// The server's whole reply (lines joined by "\n"); "" if none.
    public let reply: String
    /// ftp_last_error's sentence.
    public let message: String

    public init(result: FTPResult, replyCode: Int = 0, reply: String = "", message: String) {
        self.result = result
        self.replyCode = replyCode
        self.reply = reply
        self.message = message
    }

    public var description: String {
        return "\(message) [\(result)]"
    }

    /// The error of the last call on a session.
    static func last(_ s: OpaquePointer, _ r: ftp_result) -> FTPError {
        return FTPError(result: FTPResult(r),
                        replyCode: Int(ftp_last_code(s)),
                        reply: fromC(ftp_last_response(s)) ?? "",
                        message: fromC(ftp_last_error(s)) ?? "")
    }

    static func invalid(_ message: String) -> FTPError {
        return FTPError(result: .invalidArgument, message: message)
    }

    static var outOfMemory: FTPError {
        return FTPError(result: .internalError, message: "libftp could not allocate")
    }
}

/// A C string of the library (owned by it) as a Swift String.
private func fromC(_ p: UnsafePointer<CChar>?) -> String? {
    guard let p = p else { return nil }
    return String(cString: p)
}

/// Refuses a NUL inside a string (C would cut it short there).
private func checked(_ s: String, _ what: String) throws -> String {
    if s.utf8.contains(0) {
        throw FTPError.invalid("\(what) may not contain NUL")
    }
    return s
}

/// Calls body with a C string, or NULL for nil.
private func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) throws -> R) rethrows -> R {
    guard let s = s else {
        return try body(nil)
    }
    return try s.withCString { try body($0) }
}

// MARK: - TLS options

/// A TLS protocol version.
public enum FTPTLSVersion {
    case tls12
    case tls13

    var c: ftp_tls_version {
        switch self {
        case .tls12: return FTP_TLS_1_2
        case .tls13: return FTP_TLS_1_3
        }
    }
}

/// The options of an FTPS session (ftp_tls_config_* and implicit TLS).
public struct FTPTLSOptions {
    /// A PEM file of CA certificates trusted in addition to the system roots.
    public var caFile: String?
    /// A hashed directory of CA certificates (openssl rehash).
    public var caPath: String?
    /// Verify the certificate chain (false also skips the host name check: tests only).
    public var verifyPeer: Bool
    /// The certificate must match the host given to connect.
    public var checkHostname: Bool
    /// Implicit FTPS (TLS from the first byte; port 0 means 990).
    public var implicit: Bool
    /// A client certificate chain and its key (PEM files).
    public var clientCertFile: String?
    public var clientKeyFile: String?
    public var minVersion: FTPTLSVersion?
    public var maxVersion: FTPTLSVersion?

    public init(caFile: String? = nil, caPath: String? = nil, verifyPeer: Bool = true,
                checkHostname: Bool = true, implicit: Bool = false,
                clientCertFile: String? = nil, clientKeyFile: String? = nil,
                minVersion: FTPTLSVersion? = nil, maxVersion: FTPTLSVersion? = nil) {
        self.caFile = caFile
        self.caPath = caPath
        self.verifyPeer = verifyPeer
        self.checkHostname = checkHostname
        self.implicit = implicit
        self.clientCertFile = clientCertFile
        self.clientKeyFile = clientKeyFile
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }

    private static func check(_ r: ftp_result, _ what: String) throws {
        if r != FTP_OK {
            let name = fromC(ftp_result_name(r)) ?? "?"
            throw FTPError(result: FTPResult(r), message: "cannot set the TLS \(what): \(name)")
        }
    }

    func apply(to c: OpaquePointer) throws {
        if let f = caFile {
            let path = try checked(f, "caFile")
            try FTPTLSOptions.check(ftp_tls_config_set_ca_file(c, path), "CA file (\(f))")
        }
        if let d = caPath {
            let dir = try checked(d, "caPath")
            try FTPTLSOptions.check(ftp_tls_config_set_ca_path(c, dir), "CA path (\(d))")
        }
        try FTPTLSOptions.check(ftp_tls_config_set_verify_peer(c, verifyPeer), "peer verification")
        try FTPTLSOptions.check(ftp_tls_config_set_check_hostname(c, checkHostname), "host name check")
        if clientCertFile != nil || clientKeyFile != nil {
            guard let cert = clientCertFile, let key = clientKeyFile else {
                throw FTPError.invalid("clientCertFile and clientKeyFile go together")
            }
            let certPath = try checked(cert, "clientCertFile")
            let keyPath = try checked(key, "clientKeyFile")
            try FTPTLSOptions.check(ftp_tls_config_set_client_cert(c, certPath, keyPath),
                                    "client certificate (\(cert))")
        }
        if let v = minVersion {
            try FTPTLSOptions.check(ftp_tls_config_set_min_version(c, v.c), "minimum version")
        }
        if let v = maxVersion {
            try FTPTLSOptions.check(ftp_tls_config_set_max_version(c, v.c), "maximum version")
        }
    }
}

// MARK: - Listings

/// One MLSD entry: its name and facts (fact names lowercased).
public struct FTPListEntry {
    public let name: String
    public let facts: [String: String]

    /// "file", "dir", "cdir", "pdir", ... or nil.
    public var type: String? { return facts["type"] }
    /// The "size" fact, or nil.
    public var size: Int64? { return facts["size"].flatMap { Int64($0) } }
    /// The "modify" fact (YYYYMMDDHHMMSS[.sss], UTC), or nil.
    public var modify: String? { return facts["modify"] }
}

// MARK: - Callback boxes (userdata)

private class CallbackBox {
    var error: Error?
}

/// Downloads: each block goes to the handler as Data.
private final class DataSinkBox: CallbackBox {
    let handler: (Data) throws -> Void

    init(_ handler: @escaping (Data) throws -> Void) {
        self.handler = handler
    }

    func deliver(_ data: UnsafePointer<UInt8>?, _ len: Int) -> Int32 {
        do {
            let chunk: Data
            if let data = data, len > 0 {
                chunk = Data(bytes: data, count: len)
            } else {
                chunk = Data()
            }
            try handler(chunk)
            return 0
        } catch {
            self.error = error
            return 1
        }
    }
}

/// Uploads: bytes come from `next(maxCount)` (nil or empty = the end).
private final class DataSourceBox: CallbackBox {
    let next: (Int) throws -> Data?
    var pending: [UInt8] = []
    var offset = 0
    var ended = false

    init(_ next: @escaping (Int) throws -> Data?) {
        self.next = next
    }

    func fill(_ buf: UnsafeMutablePointer<UInt8>?, _ cap: Int) -> Int64 {
        guard let buf = buf, cap > 0 else {
            return 0
        }
        do {
            if offset >= pending.count {
                pending = []
                offset = 0
                if ended {
                    return 0
                }
                guard let chunk = try next(cap), !chunk.isEmpty else {
                    ended = true
                    return 0
                }
                pending = [UInt8](chunk)
            }
            let n = min(cap, pending.count - offset)
            pending.withUnsafeBufferPointer { src in
                buf.initialize(from: src.baseAddress! + offset, count: n)
            }
            offset += n
            return Int64(n)
        } catch {
            self.error = error
            return -1
        }
    }
}

/// Text transfers and NLST/LIST: each line goes to the handler.
private final class LineBox: CallbackBox {
    let handler: (String) throws -> Void

    init(_ handler: @escaping (String) throws -> Void) {
        self.handler = handler
    }

    func deliver(_ line: UnsafePointer<CChar>?, _ len: Int) -> Int32 {
        do {
            let text: String
            if let line = line, len > 0 {
                let bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(line), count: len)
                text = String(decoding: bytes, as: UTF8.self)
            } else {
                text = ""
            }
            try handler(text)
            return 0
        } catch {
            self.error = error
            return 1
        }
    }
}

/// MLSD: entries are collected.
private final class MlsdBox: CallbackBox {
    var entries: [FTPListEntry] = []

    func add(_ name: UnsafePointer<CChar>?, _ facts: UnsafePointer<ftp_fact>?, _ count: Int) -> Int32 {
        var dict: [String: String] = [:]
        if let facts = facts {
            for i in 0..<count {
                let fact = facts[i]
                if let k = fact.name, let v = fact.value {
                    dict[String(cString: k)] = String(cString: v)
                }
            }
        }
        entries.append(FTPListEntry(name: fromC(name) ?? "", facts: dict))
        return 0
    }
}

// MARK: - The client

/// An FTP or FTPS session (Python ftplib's FTP / FTP_TLS).
public final class FTPClient {
    private let s: OpaquePointer

    /// A session, not connected: plain FTP when `tls` is nil, else FTPS
    /// with those options (the configuration is copied into the session).
    public init(tls: FTPTLSOptions? = nil) throws {
        let session: OpaquePointer
        if let tls = tls {
            guard let config = ftp_tls_config_new() else {
                throw FTPError.outOfMemory
            }
            defer { ftp_tls_config_free(config) }
            try tls.apply(to: config)
            guard let made = ftp_session_new_tls(config) else {
                throw FTPError.outOfMemory
            }
            if tls.implicit {
                let r = ftp_set_implicit_tls(made, true)
                if r != FTP_OK {
                    let e = FTPError.last(made, r)
                    ftp_session_free(made)
                    throw e
                }
            }
            session = made
        } else {
            guard let made = ftp_session_new() else {
                throw FTPError.outOfMemory
            }
            session = made
        }
        s = session
    }

    deinit {
        ftp_session_free(s)
    }

    /// libftp's version, e.g. "0.1.0".
    public static var libraryVersion: String {
        return fromC(ftp_version()) ?? ""
    }

    private func check(_ r: ftp_result) throws {
        if r != FTP_OK {
            throw FTPError.last(s, r)
        }
    }

    /// Runs a C call with a box as userdata; an error thrown inside a
    /// callback is rethrown first (the C call has returned, the session is in step).
    private func run<B: CallbackBox>(_ box: B, _ call: (UnsafeMutableRawPointer) -> ftp_result) throws {
        let r = withExtendedLifetime(box) {
            call(Unmanaged.passUnretained(box).toOpaque())
        }
        if let e = box.error {
            throw e
        }
        try check(r)
    }

    // MARK: settings and connection

    /// The session timeout in milliseconds (0 = none, the default).
    public func setTimeout(milliseconds: UInt64) throws {
        try check(ftp_set_timeout_ms(s, milliseconds))
    }

    /// Passive (default) or active data connections.
    public func setPassive(_ passive: Bool) throws {
        try check(ftp_set_pasv(s, passive))
    }

    /// "utf-8" (default) or "latin-1".
    public func setEncoding(_ encoding: String) throws {
        let e = try checked(encoding, "encoding")
        try check(ftp_set_encoding(s, e))
    }

    /// Connects (port 0 = 21, or 990 with implicit TLS); returns the welcome.
    @discardableResult
    public func connect(host: String, port: Int = 0) throws -> String {
        guard let p = UInt16(exactly: port) else {
            throw FTPError.invalid("port \(port) is out of range")
        }
        let h = try checked(host, "host")
        try check(ftp_connect(s, h, p))
        return welcome ?? ""
    }

    /// The server's welcome, nil before a connection.
    public var welcome: String? {
        return fromC(ftp_getwelcome(s))
    }

    /// Logs in; nil or "" user means anonymous. On an FTPS session AUTH TLS
    /// comes first when needed.
    public func login(user: String? = nil, password: String? = nil, account: String? = nil) throws {
        for (v, what) in [(user, "user"), (password, "password"), (account, "account")] {
            if let v = v {
                _ = try checked(v, what)
            }
        }
        let r: ftp_result = withOptionalCString(user) { (u: UnsafePointer<CChar>?) -> ftp_result in
            withOptionalCString(password) { (p: UnsafePointer<CChar>?) -> ftp_result in
                withOptionalCString(account) { (a: UnsafePointer<CChar>?) -> ftp_result in
                    ftp_login(self.s, u, p, a)
                }
            }
        }
        try check(r)
    }

    /// The code of the last reply (0 if none).
    public var lastReplyCode: Int {
        return Int(ftp_last_code(s))
    }

    /// The last reply ("" if none).
    public var lastReply: String {
        return fromC(ftp_last_response(s)) ?? ""
    }

    /// Sends a command; the reply (1xx-3xx) is returned.
    @discardableResult
    public func sendCommand(_ command: String) throws -> String {
        let c = try checked(command, "command")
        try check(ftp_sendcmd(s, c))
        return lastReply
    }

    /// Sends a command whose reply must be 2xx.
    @discardableResult
    public func voidCommand(_ command: String) throws -> String {
        let c = try checked(command, "command")
        try check(ftp_voidcmd(s, c))
        return lastReply
    }

    /// QUIT, then the connection is closed (also when the reply is an error).
    public func quit() throws {
        try check(ftp_quit(s))
    }

    /// Closes the connection without sending anything.
    public func close() {
        _ = ftp_close(s)
    }

    // MARK: TLS

    /// AUTH TLS and the handshake (login does it when needed).
    public func auth() throws {
        try check(ftp_auth(s))
    }

    /// PBSZ 0 + PROT P: protected data connections (login does it by itself
    /// on TLS sessions, unless protC came first).
    public func protP() throws {
        try check(ftp_prot_p(s))
    }

    /// PROT C: clear data connections (before login: nothing sent, and login
    /// then leaves the data connections clear).
    public func protC() throws {
        try check(ftp_prot_c(s))
    }

    // MARK: transfers

    /// Downloads a file in binary mode (RETR), block by block. An error thrown
    /// by the handler stops the transfer and is rethrown.
    public func download(path: String, rest: Int64? = nil, blockSize: Int = 0,
                         to handler: (Data) throws -> Void) throws {
        let cmd = try "RETR " + checked(path, "path")
        try withoutActuallyEscaping(handler) { h in
            try self.run(DataSinkBox(h)) { (ud: UnsafeMutableRawPointer) -> ftp_result in
                ftp_retrbinary(self.s, cmd, { userdata, data, len in
                    Unmanaged<DataSinkBox>.fromOpaque(userdata!).takeUnretainedValue().deliver(data, len)
                }, ud, max(blockSize, 0), rest ?? -1)
            }
        }
    }

    /// Downloads a whole file into memory.
    public func download(path: String, rest: Int64? = nil) throws -> Data {
        var out = Data()
        try download(path: path, rest: rest) { chunk in
            out.append(chunk)
        }
        return out
    }

    /// Uploads data in binary mode (STOR).
    public func upload(path: String, data: Data, blockSize: Int = 0) throws {
        var sent = false
        try upload(path: path, blockSize: blockSize) { _ in
            if sent {
                return nil
            }
            sent = true
            return data
        }
    }

    /// Uploads in binary mode (STOR) what `read(maxCount)` returns, until it
    /// returns nil or empty Data (a longer chunk is sent in several blocks).
    /// An error thrown by `read` stops the upload and is rethrown; the server
    /// keeps the part received.
    public func upload(path: String, blockSize: Int = 0, read: (Int) throws -> Data?) throws {
        let cmd = try "STOR " + checked(path, "path")
        try withoutActuallyEscaping(read) { r in
            try self.run(DataSourceBox(r)) { (ud: UnsafeMutableRawPointer) -> ftp_result in
                ftp_storbinary(self.s, cmd, { userdata, buf, cap in
                    Unmanaged<DataSourceBox>.fromOpaque(userdata!).takeUnretainedValue().fill(buf, cap)
                }, ud, max(blockSize, 0), nil, -1)
            }
        }
    }

    /// ftplib's retrlines: each line of `command` (e.g. "RETR x", "LIST")
    /// without its line end.
    public func retrieveLines(_ command: String, _ handler: (String) throws -> Void) throws {
        let cmd = try checked(command, "command")
        try withoutActuallyEscaping(handler) { h in
            try self.run(LineBox(h)) { (ud: UnsafeMutableRawPointer) -> ftp_result in
                ftp_retrlines(self.s, cmd, { userdata, line, len in
                    Unmanaged<LineBox>.fromOpaque(userdata!).takeUnretainedValue().deliver(line, len)
                }, ud)
            }
        }
    }

    // MARK: listings

    /// NLST: the names in a directory (nil = the current one).
    public func nameList(_ path: String? = nil) throws -> [String] {
        return try lines(path, nlst: true)
    }

    /// LIST: the lines of a directory listing (nil = the current one).
    public func list(_ path: String? = nil) throws -> [String] {
        return try lines(path, nlst: false)
    }

    private func lines(_ path: String?, nlst: Bool) throws -> [String] {
        if let path = path {
            _ = try checked(path, "path")
        }
        final class Lines {
            var all: [String] = []
        }
        let out = Lines()
        let box = LineBox { (line: String) throws -> Void in
            out.all.append(line)
        }
        try run(box) { (ud: UnsafeMutableRawPointer) -> ftp_result in
            withOptionalCString(path) { (p: UnsafePointer<CChar>?) -> ftp_result in
                if nlst {
                    return ftp_nlst(self.s, p, { userdata, line, len in
                        Unmanaged<LineBox>.fromOpaque(userdata!).takeUnretainedValue().deliver(line, len)
                    }, ud)
                }
                return ftp_dir(self.s, p, { userdata, line, len in
                    Unmanaged<LineBox>.fromOpaque(userdata!).takeUnretainedValue().deliver(line, len)
                }, ud)
            }
        }
        return out.all
    }

    /// MLSD: the entries of a directory (nil = the current one); `facts`
    /// (if any) are asked for first with OPTS MLST.
    public func mlsd(_ path: String? = nil, facts: [String] = []) throws -> [FTPListEntry] {
        if let path = path {
            _ = try checked(path, "path")
        }
        for f in facts {
            _ = try checked(f, "fact")
        }
        let owned: [UnsafeMutablePointer<CChar>?] = facts.map { strdup($0) }
        defer {
            for p in owned {
                free(p)
            }
        }
        if owned.contains(where: { $0 == nil }) {
            throw FTPError.outOfMemory
        }
        let cfacts: [UnsafePointer<CChar>?] = owned.map { $0.map { UnsafePointer($0) } }
        let box = MlsdBox()
        try run(box) { (ud: UnsafeMutableRawPointer) -> ftp_result in
            withOptionalCString(path) { (p: UnsafePointer<CChar>?) -> ftp_result in
                cfacts.withUnsafeBufferPointer { (fb: UnsafeBufferPointer<UnsafePointer<CChar>?>) -> ftp_result in
                    ftp_mlsd(self.s, p, fb.baseAddress, fb.count, { userdata, name, entryFacts, n in
                        Unmanaged<MlsdBox>.fromOpaque(userdata!).takeUnretainedValue().add(name, entryFacts, n)
                    }, ud)
                }
            }
        }
        return box.entries
    }

    // MARK: file operations

    public func rename(from: String, to: String) throws {
        let f = try checked(from, "from")
        let t = try checked(to, "to")
        try check(ftp_rename(s, f, t))
    }

    public func delete(_ path: String) throws {
        let p = try checked(path, "path")
        try check(ftp_delete(s, p))
    }

    /// MKD; returns the path of the 257 reply ("" for another 2xx reply).
    @discardableResult
    public func mkdir(_ path: String) throws -> String {
        var out: UnsafePointer<CChar>? = nil
        let p = try checked(path, "path")
        try check(ftp_mkd(s, p, &out))
        return fromC(out) ?? ""
    }

    public func rmdir(_ path: String) throws {
        let p = try checked(path, "path")
        try check(ftp_rmd(s, p))
    }

    /// CWD ("..": CDUP first).
    public func cwd(_ path: String) throws {
        let p = try checked(path, "path")
        try check(ftp_cwd(s, p))
    }

    /// PWD: the current directory.
    public func pwd() throws -> String {
        var out: UnsafePointer<CChar>? = nil
        try check(ftp_pwd(s, &out))
        return fromC(out) ?? ""
    }

    /// SIZE (no TYPE is sent): the size, or nil when the reply was not 213.
    public func size(_ path: String) throws -> Int64? {
        var n: Int64 = -1
        let p = try checked(path, "path")
        try check(ftp_size(s, p, &n))
        return n >= 0 ? n : nil
    }
}
