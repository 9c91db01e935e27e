// TLS options of FTPS sessions and pools: what to trust (system roots, CA
// files, CA certificates in memory), whether to check the host name, a
// client certificate (files or PEM in memory), the TLS versions.
//
// FTPTLSOptions is a plain value; TLSConfig turns it into an
// ftp_tls_config for the one call that copies it (ftp_session_new_tls,
// ftp_connect_url, ftp_pool_new) and frees it afterwards.

import CFtp
import Foundation

/// A TLS protocol version.
public enum FTPTLSVersion: Sendable {
    case tls12
    case tls13

    var c: ftp_tls_version {
        switch self {
        case .tls12: return FTP_TLS_1_2
        case .tls13: return FTP_TLS_1_3
        }
    }
}

/// The options of an FTPS session or pool. The defaults: the system's
/// CAs, the host name checked, TLS 1.2 or later, explicit FTPS (AUTH TLS).
public struct FTPTLSOptions: Sendable {
    /// A PEM file of CA certificates to trust (instead of the system roots).
    public var caFile: String?
    /// A hashed directory of CA certificates (openssl rehash).
    public var caPath: String?
    /// CA certificates in memory: each Data is a PEM blob with one or more
    /// certificates (ftp_tls_config_add_ca_pem); trusted with the above.
    public var caPEM: [Data]
    /// Verify the certificate chain (false also skips the host name
    /// check: for tests only).
    public var verifyPeer: Bool
    /// The certificate must name the host connected to.
    public var checkHostname: Bool
    /// Implicit FTPS (TLS from the first byte, port 990) for
    /// `init(tls:)`; URLs say it with their scheme (ftps://) instead.
    public var implicit: Bool
    /// A client certificate chain and its unencrypted key, as PEM files ...
    public var clientCertFile: String?
    public var clientKeyFile: String?
    /// ... or as PEM in memory (ftp_tls_config_set_client_cert_pem).
    public var clientCertPEM: Data?
    public var clientKeyPEM: Data?
    public var minVersion: FTPTLSVersion?
    public var maxVersion: FTPTLSVersion?

    public init(caFile: String? = nil, caPath: String? = nil, caPEM: [Data] = [],
                verifyPeer: Bool = true, checkHostname: Bool = true, implicit: Bool = false,
                clientCertFile: String? = nil, clientKeyFile: String? = nil,
                clientCertPEM: Data? = nil, clientKeyPEM: Data? = nil,
                minVersion: FTPTLSVersion? = nil, maxVersion: FTPTLSVersion? = nil) {
        self.caFile = caFile
        self.caPath = caPath
        self.caPEM = caPEM
        self.verifyPeer = verifyPeer
        self.checkHostname = checkHostname
        self.implicit = implicit
        self.clientCertFile = clientCertFile
        self.clientKeyFile = clientKeyFile
        self.clientCertPEM = clientCertPEM
        self.clientKeyPEM = clientKeyPEM
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}

/// An ftp_tls_config made from FTPTLSOptions, freed with this object.
final class TLSConfig {
    let c: OpaquePointer

    init(_ o: FTPTLSOptions) throws {
        guard let made = ftp_tls_config_new() else {
            throw FTPError.internalFailure("libftp could not make a TLS configuration")
        }
        c = made
        try apply(o)    // deinit frees `c` when this throws
    }

    deinit {
        ftp_tls_config_free(c)
    }

    /// Throws the configuration's error (ftp_tls_config_last_error).
    private func check(_ r: ftp_result, _ what: String) throws {
        if r != FTP_OK {
            let why = fromC(ftp_tls_config_last_error(c)) ?? ""
            throw ftpError(r, message: why.isEmpty ? "cannot set the TLS \(what)" : "TLS \(what): \(why)")
        }
    }

    private func apply(_ o: FTPTLSOptions) throws {
        if let f = try checkedOrNil(o.caFile, "caFile") {
            try check(ftp_tls_config_set_ca_file(c, f), "CA file \(f)")
        }
        if let d = try checkedOrNil(o.caPath, "caPath") {
            try check(ftp_tls_config_set_ca_path(c, d), "CA path \(d)")
        }
        for (i, pem) in o.caPEM.enumerated() {
            try withBytes(pem) { p, n in
                try check(ftp_tls_config_add_ca_pem(c, p, n), "CA certificates (caPEM[\(i)])")
            }
        }
        try check(ftp_tls_config_set_verify_peer(c, o.verifyPeer), "peer verification")
        try check(ftp_tls_config_set_check_hostname(c, o.checkHostname), "host name check")
        try applyClientCertificate(o)
        if let v = o.minVersion {
            try check(ftp_tls_config_set_min_version(c, v.c), "minimum version")
        }
        if let v = o.maxVersion {
            try check(ftp_tls_config_set_max_version(c, v.c), "maximum version")
        }
    }

    private func applyClientCertificate(_ o: FTPTLSOptions) throws {
        let files = o.clientCertFile != nil || o.clientKeyFile != nil
        let memory = o.clientCertPEM != nil || o.clientKeyPEM != nil
        if files && memory {
            throw FTPError.invalid("give the client certificate as files or as PEM data, not both")
        }
        if files {
            guard let cert = try checkedOrNil(o.clientCertFile, "clientCertFile"),
                  let key = try checkedOrNil(o.clientKeyFile, "clientKeyFile") else {
                throw FTPError.invalid("clientCertFile and clientKeyFile go together")
            }
            try check(ftp_tls_config_set_client_cert(c, cert, key), "client certificate \(cert)")
        }
        if memory {
            guard let cert = o.clientCertPEM, let key = o.clientKeyPEM else {
                throw FTPError.invalid("clientCertPEM and clientKeyPEM go together")
            }
            try withBytes(cert) { cp, cn in
                try withBytes(key) { kp, kn in
                    try check(ftp_tls_config_set_client_cert_pem(c, cp, cn, kp, kn), "client certificate (PEM)")
                }
            }
        }
    }
}
