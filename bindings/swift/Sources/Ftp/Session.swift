// FTPClient: one libftp session (ftp_session), used from async code.
//
// Every call is a job on the session's own serial DispatchQueue, so calls
// on one client never run at once (they run in the order they were made)
// and never block the cooperative thread pool. Different clients are
// independent. Cancelling the awaiting task cancels the C call (see
// Cancellation.swift); `cancel()` does the same from anywhere. Closures
// you pass (download handlers, upload sources, progress handlers) run on
// the session's queue, synchronously inside the C call: they must not
// wait for another call of the same client.

import CFtp
import Dispatch
import Foundation

/// The native session and its queue; freed when the last job and stream
/// that hold it are gone (jobs capture it, so it outlives every C call).
final class SessionCore: @unchecked Sendable {
    let s: OpaquePointer
    let queue: DispatchQueue
    private let lock = NSLock()
    private var current: CallCanceller?

    init(_ s: OpaquePointer) {
        self.s = s
        self.queue = DispatchQueue(label: "libftp.session")
    }

    deinit {
        ftp_session_free(s)
    }

    /// Runs `body` with the session on its queue, as one cancellable call.
    func run<T>(_ body: @escaping (OpaquePointer) throws -> T) async throws -> T {
        let s = self.s
        let canceller = CallCanceller { _ = ftp_session_cancel(s) }
        return try await runBlocking(on: queue, canceller, started: { [self] c in
            lock.lock()
            current = c
            lock.unlock()
        }) { [self] in
            try withExtendedLifetime(self) { try body(s) }
        }
    }

    /// Cancels the call running now, if any.
    func cancelCurrent() {
        lock.lock()
        let c = current
        lock.unlock()
        c?.cancel()
    }
}

/// An FTP or FTPS session (Python ftplib's FTP / FTP_TLS, FluentFTP's
/// AsyncFtpClient). Make one with `FTPClient.connect(url:)` (URL.swift),
/// or with `init(tls:)` followed by `connect(host:port:)` and `login`.
public final class FTPClient: @unchecked Sendable {
    let core: SessionCore

    /// A session, not connected: plain FTP when `tls` is nil, else FTPS
    /// with those options (copied into the session). Returns at once.
    public init(tls: FTPTLSOptions? = nil) throws {
        var made: OpaquePointer?
        if let tls = tls {
            let config = try TLSConfig(tls)
            made = ftp_session_new_tls(config.c)
            if let s = made, tls.implicit {
                let r = ftp_set_implicit_tls(s, true)
                if r != FTP_OK {
                    let e = sessionError(s, r)
                    ftp_session_free(s)
                    throw e
                }
            }
        } else {
            made = ftp_session_new()
        }
        guard let s = made else {
            throw FTPError.internalFailure("libftp could not make a session")
        }
        core = SessionCore(s)
    }

    /// libftp's version, e.g. "0.1.0".
    public static var libraryVersion: String {
        return fromC(ftp_version()) ?? ""
    }

    /// Cancels the call running now on this client (from any thread or
    /// task): it throws CancellationError within about 100 ms. Calls made
    /// later are not affected. The session is then in step with the
    /// server (an owed reply is read by the next call) or closed.
    public func cancel() {
        core.cancelCurrent()
    }

    /// Runs a call that only has to succeed.
    func call(_ body: @escaping (OpaquePointer) -> ftp_result) async throws {
        try await core.run { s in try check(s, body(s)) }
    }

    // MARK: settings (each takes effect for the following calls)

    /// The timeout of every wait (connect, reply, each data read/write);
    /// 0 = none, the default.
    public func setTimeout(_ seconds: TimeInterval) async throws {
        let ms = milliseconds(seconds)
        try await call { ftp_set_timeout_ms($0, ms) }
    }

    /// Passive (the default) or active data connections.
    public func setPassive(_ passive: Bool) async throws {
        try await call { ftp_set_pasv($0, passive) }
    }

    /// "utf-8" (the default) or "latin-1".
    public func setEncoding(_ encoding: String) async throws {
        let e = try checked(encoding, "encoding")
        try await call { ftp_set_encoding($0, e) }
    }

    // MARK: connection

    /// Connects (port 0 = 21, or 990 with implicit TLS) and returns the
    /// server's welcome. On FTPS sessions `login` secures the connection.
    @discardableResult
    public func connect(host: String, port: Int = 0) async throws -> String {
        guard let p = UInt16(exactly: port) else {
            throw FTPError.invalid("port \(port) is out of range")
        }
        let h = try checked(host, "host")
        return try await core.run { s in
            try check(s, ftp_connect(s, h, p))
            return fromC(ftp_getwelcome(s)) ?? ""
        }
    }

    /// Logs in. A nil user reads the netrc file named by `setNetrc`, else
    /// logs in as anonymous; "" is anonymous too. On an FTPS session AUTH
    /// TLS comes first, and PBSZ 0 + PROT P after: data connections are
    /// TLS too (see README, "How data connections are protected").
    public func login(user: String? = nil, password: String? = nil, account: String? = nil) async throws {
        let u = try checkedOrNil(user, "user")
        let p = try checkedOrNil(password, "password")
        let a = try checkedOrNil(account, "account")
        try await call { s in
            withOptionalCString(u) { cu in
                withOptionalCString(p) { cp in
                    withOptionalCString(a) { ca in ftp_login(s, cu, cp, ca) }
                }
            }
        }
    }

    /// The code and text of the last reply (0 and "" if none).
    public func lastReply() async throws -> (code: Int, text: String) {
        return try await core.run { s in (Int(ftp_last_code(s)), fromC(ftp_last_response(s)) ?? "") }
    }

    /// Sends a command and returns its reply (1xx-3xx; 4xx/5xx throw).
    @discardableResult
    public func sendCommand(_ command: String) async throws -> String {
        return try await send(command, only2xx: false)
    }

    /// Sends a command whose reply must be 2xx; returns the reply.
    @discardableResult
    public func voidCommand(_ command: String) async throws -> String {
        return try await send(command, only2xx: true)
    }

    private func send(_ command: String, only2xx: Bool) async throws -> String {
        let c = try checked(command, "command")
        return try await core.run { s in
            try check(s, only2xx ? ftp_voidcmd(s, c) : ftp_sendcmd(s, c))
            return fromC(ftp_last_response(s)) ?? ""
        }
    }

    /// QUIT, then the connection is closed (also when the reply is an error).
    public func quit() async throws {
        try await call { ftp_quit($0) }
    }

    /// Closes the connection without sending anything.
    public func close() async {
        _ = try? await core.run { s in ftp_close(s) }
    }

    // MARK: TLS on the connection

    /// AUTH TLS and the handshake (login does it by itself when needed).
    public func auth() async throws {
        try await call { ftp_auth($0) }
    }

    /// PBSZ 0 + PROT P: data connections are TLS from now on (login does
    /// it by itself on FTPS sessions, unless protC came first).
    public func protP() async throws {
        try await call { ftp_prot_p($0) }
    }

    /// PROT C: data connections in clear from now on (before login: login
    /// then leaves them clear).
    public func protC() async throws {
        try await call { ftp_prot_c($0) }
    }
}
