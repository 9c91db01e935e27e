// Connecting by URL (ftp_connect_url): ftp://, ftpes:// (explicit FTPS,
// AUTH TLS) and ftps:// (implicit FTPS) in one call that connects,
// secures, logs in (the URL's user and password, else netrc, else
// anonymous) and changes to the URL's directory; with the settings that
// go with it: netrc, proxy, connect and session timeouts.

import CFtp
import Foundation

/// Where logins without a password find credentials.
public enum FTPNetrc: Sendable {
    /// No netrc file (the default).
    case disabled
    /// $NETRC, else $HOME/.netrc.
    case standard
    /// This file.
    case file(String)

    /// The `path` of ftp_set_netrc / ftp_pool_set_netrc: "" = none, NULL =
    /// $NETRC or $HOME/.netrc, else the file.
    func pathArgument() throws -> String? {
        switch self {
        case .disabled: return ""
        case .standard: return nil
        case .file(let f): return try checked(f, "netrc path")
        }
    }
}

/// Settings applied before connecting by URL.
public struct FTPConnectOptions: Sendable {
    /// Bounds every wait of the session (libftp's idle timeout); 0 = none.
    public var timeout: TimeInterval
    /// Bounds opening the control connection (every address of the name,
    /// Happy Eyeballs); 0 = `timeout`.
    public var connectTimeout: TimeInterval
    public var netrc: FTPNetrc
    /// "socks5://[user:pass@]host[:port]", "socks5h://...", or
    /// "http://[user:pass@]host:port" (CONNECT); nil = none.
    public var proxy: String?
    /// Passive (the default) or active data connections.
    public var passive: Bool

    public init(timeout: TimeInterval = 30, connectTimeout: TimeInterval = 0,
                netrc: FTPNetrc = .disabled, proxy: String? = nil, passive: Bool = true) {
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.netrc = netrc
        self.proxy = proxy
        self.passive = passive
    }
}

extension FTPClient {
    /// A new client connected by URL: `ftpes://user:pass@host/dir/`
    /// (explicit FTPS), `ftps://...` (implicit FTPS, port 990) or
    /// `ftp://...` (plain). A path ending in "/" is entered whole; else its
    /// last segment names a file and only the directories before it are
    /// entered (`urlPath()` gives the whole path). `tls` applies to FTPS
    /// URLs (nil: the system's CAs, host name checked).
    public static func connect(url: String, tls: FTPTLSOptions? = nil,
                               options: FTPConnectOptions = FTPConnectOptions()) async throws -> FTPClient {
        let client = try FTPClient()
        try await client.apply(options)
        try await client.open(url: url, tls: tls)
        return client
    }

    /// Connects this (not connected) client by URL, with the settings made
    /// so far (`setNetrc`, `setProxy`, timeouts...). Any failure closes
    /// the connection. The password never appears in errors.
    public func open(url: String, tls: FTPTLSOptions? = nil) async throws {
        let u = try checked(url, "url")
        if let tls = tls, tls.implicit {
            throw FTPError.invalid("a URL says implicit TLS with its scheme (ftps://), not with FTPTLSOptions.implicit")
        }
        let config = try tls.map { try TLSConfig($0) }
        try await call { s in
            withExtendedLifetime(config) { ftp_connect_url(s, u, config?.c) }
        }
    }

    /// The path of the URL the connection was opened with (%-decoded),
    /// nil when it was not opened by URL.
    public func urlPath() async throws -> String? {
        return try await core.run { s in fromC(ftp_url_path(s)) }
    }

    /// The netrc file that logins without a password read.
    public func setNetrc(_ netrc: FTPNetrc) async throws {
        let path = try netrc.pathArgument()
        try await call { s in withOptionalCString(path) { ftp_set_netrc(s, $0) } }
    }

    /// Sends the next connections through a proxy (nil = none). Passive
    /// mode only.
    public func setProxy(_ url: String?) async throws {
        let p = try checkedOrNil(url, "proxy URL")
        try await call { s in withOptionalCString(p) { ftp_set_proxy(s, $0) } }
    }

    /// Bounds opening the control connection; 0 = the session timeout.
    public func setConnectTimeout(_ seconds: TimeInterval) async throws {
        let ms = milliseconds(seconds)
        try await call { ftp_set_connect_timeout_ms($0, ms) }
    }

    func apply(_ o: FTPConnectOptions) async throws {
        try await setTimeout(o.timeout)
        try await setConnectTimeout(o.connectTimeout)
        try await setNetrc(o.netrc)
        try await setProxy(o.proxy)
        try await setPassive(o.passive)
    }
}
