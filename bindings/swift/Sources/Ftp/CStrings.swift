// Strings between Swift and C: arguments go to C as NUL-terminated UTF-8
// (a NUL inside one is refused before anything is sent, as C would cut the
// string there); strings owned by libftp come back as Swift Strings,
// copied at once (they stay valid only until the next call).

import CFtp
import Foundation

/// A C string owned by the library as a Swift String (nil for NULL).
func fromC(_ p: UnsafePointer<CChar>?) -> String? {
    guard let p = p else {
        return nil
    }
    return String(cString: p)
}

/// `len` bytes of a C buffer as a String (invalid UTF-8 becomes U+FFFD).
func fromC(_ p: UnsafePointer<CChar>?, count len: Int) -> String {
    guard let p = p, len > 0 else {
        return ""
    }
    return String(decoding: UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: len), as: UTF8.self)
}

/// Refuses a NUL inside an argument; returns it unchanged otherwise.
func checked(_ s: String, _ what: String) throws -> String {
    if s.utf8.contains(0) {
        throw FTPError.invalid("\(what) may not contain NUL")
    }
    return s
}

/// `checked` for an optional argument.
func checkedOrNil(_ s: String?, _ what: String) throws -> String? {
    guard let s = s else {
        return nil
    }
    return try checked(s, what)
}

/// Calls body with a C string, or NULL for nil.
func withOptionalCString<R>(_ s: String?, _ body: (UnsafePointer<CChar>?) throws -> R) rethrows -> R {
    guard let s = s else {
        return try body(nil)
    }
    return try s.withCString { try body($0) }
}

/// Calls body with the bytes of `data` and their count (a non-NULL pointer
/// even when empty: libftp then refuses the length, not the pointer).
func withBytes<R>(_ data: Data, _ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
    let bytes: [UInt8] = data.isEmpty ? [0] : [UInt8](data)
    return try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) -> R in
        try body(b.baseAddress!, data.count)
    }
}

/// Milliseconds for libftp's timeouts from a TimeInterval (negative = 0,
/// rounded up so that a positive interval never becomes "no limit").
func milliseconds(_ t: TimeInterval) -> UInt64 {
    guard t > 0 else {
        return 0
    }
    let ms = (t * 1000).rounded(.up)
    return ms >= Double(UInt64.max) ? UInt64.max : UInt64(ms)
}

/// libftp's time (Unix seconds, FTP_TIME_UNKNOWN = Int64.min) as a Date.
func date(fromUnix t: Int64) -> Date? {
    return t == Int64.min ? nil : Date(timeIntervalSince1970: TimeInterval(t))
}
