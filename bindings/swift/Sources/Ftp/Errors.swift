// Errors: libftp's ftp_result as a Swift enum, and FTPError, the Error
// every failing call throws (with the result, the server's reply code and
// text, and libftp's sentence). FTP_ERROR_CANCELLED is thrown as Swift's
// own CancellationError instead, so that cancelled tasks look the same
// whatever they were awaiting.

import CFtp

/// The ftp_result of include/ftp.h (Python ftplib's error classes in the
/// comments). check.sh compares these raw values with the header's.
public enum FTPResult: Int, CustomStringConvertible, Sendable {
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

/// What the server and libftp said about a failure.
public struct FTPFailure: Sendable, CustomStringConvertible {
    /// The result of the call.
    public let result: FTPResult
    /// The 3-digit code of the server's last reply; 0 if there was none
    /// (pool calls, TLS configuration, local errors).
    public let replyCode: Int
    /// The server's whole last reply (lines joined by "\n"); "" if none.
    public let reply: String
    /// libftp's sentence (ftp_last_error, ftp_pool_last_error,
    /// ftp_tls_config_last_error or ftp_transfer_last_error).
    public let message: String

    public var description: String {
        return replyCode != 0 ? "\(message) [\(result), reply \(replyCode)]" : "\(message) [\(result)]"
    }
}

/// A failed libftp call, one case per ftp_result class. Every case carries
/// the FTPFailure; `result`, `replyCode`, `reply` and `message` read it
/// whatever the case. A cancelled call throws CancellationError instead,
/// and an error thrown by one of your closures (a download handler, an
/// upload source, a progress handler) is rethrown unchanged.
public enum FTPError: Error, CustomStringConvertible, Sendable {
    case unexpectedReply(FTPFailure)   // FTP_ERROR_REPLY
    case temporary(FTPFailure)         // FTP_ERROR_TEMP: 4xx
    case permanent(FTPFailure)         // FTP_ERROR_PERM: 5xx
    case protocolError(FTPFailure)     // FTP_ERROR_PROTO
    case io(FTPFailure)                // FTP_ERROR_IO
    case closed(FTPFailure)            // FTP_ERROR_EOF: the server closed the connection
    case timeout(FTPFailure)           // FTP_ERROR_TIMEOUT
    case tls(FTPFailure)               // FTP_ERROR_TLS
    case invalidArgument(FTPFailure)   // FTP_ERROR_INVALID_ARGUMENT
    case state(FTPFailure)             // FTP_ERROR_STATE
    case callback(FTPFailure)          // FTP_ERROR_CALLBACK
    case encoding(FTPFailure)          // FTP_ERROR_ENCODING
    case internalError(FTPFailure)     // FTP_ERROR_INTERNAL
    case verify(FTPFailure)            // FTP_ERROR_VERIFY
    case other(FTPFailure)             // a result this binding does not know

    init(_ f: FTPFailure) {
        switch f.result {
        case .reply: self = .unexpectedReply(f)
        case .temp: self = .temporary(f)
        case .perm: self = .permanent(f)
        case .proto: self = .protocolError(f)
        case .io: self = .io(f)
        case .eof: self = .closed(f)
        case .timeout: self = .timeout(f)
        case .tls: self = .tls(f)
        case .invalidArgument: self = .invalidArgument(f)
        case .state: self = .state(f)
        case .callback: self = .callback(f)
        case .encoding: self = .encoding(f)
        case .internalError: self = .internalError(f)
        case .verify: self = .verify(f)
        case .ok, .cancelled, .unknown: self = .other(f)
        }
    }

    /// The failure, whatever the case.
    public var failure: FTPFailure {
        switch self {
        case .unexpectedReply(let f), .temporary(let f), .permanent(let f), .protocolError(let f),
             .io(let f), .closed(let f), .timeout(let f), .tls(let f), .invalidArgument(let f),
             .state(let f), .callback(let f), .encoding(let f), .internalError(let f),
             .verify(let f), .other(let f):
            return f
        }
    }

    public var result: FTPResult { return failure.result }
    public var replyCode: Int { return failure.replyCode }
    public var reply: String { return failure.reply }
    public var message: String { return failure.message }
    public var description: String { return failure.description }

    /// A failure found by the binding itself, before any C call.
    static func invalid(_ message: String) -> FTPError {
        return .invalidArgument(FTPFailure(result: .invalidArgument, replyCode: 0, reply: "", message: message))
    }

    static func internalFailure(_ message: String) -> FTPError {
        return .internalError(FTPFailure(result: .internalError, replyCode: 0, reply: "", message: message))
    }
}

/// The error of a failed call: CancellationError for FTP_ERROR_CANCELLED,
/// else FTPError with `message` and, for session calls, the last reply.
func ftpError(_ r: ftp_result, message: String, replyCode: Int = 0, reply: String = "") -> Error {
    if r == FTP_ERROR_CANCELLED {
        return CancellationError()
    }
    return FTPError(FTPFailure(result: FTPResult(r), replyCode: replyCode, reply: reply, message: message))
}

/// The error of the last call on session `s`; read it on the thread of
/// the call, before the next call (the strings belong to the session).
func sessionError(_ s: OpaquePointer, _ r: ftp_result) -> Error {
    return ftpError(r, message: fromC(ftp_last_error(s)) ?? "",
                    replyCode: Int(ftp_last_code(s)), reply: fromC(ftp_last_response(s)) ?? "")
}

/// Throws the session's error unless `r` is FTP_OK.
func check(_ s: OpaquePointer, _ r: ftp_result) throws {
    if r != FTP_OK {
        throw sessionError(s, r)
    }
}
