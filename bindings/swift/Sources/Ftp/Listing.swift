// Parsed directory listings (ftp_list: MLSD when the server has it, else
// LIST parsed: Unix, DOS/IIS, EPLF, VMS, NetWare) as FTPEntry values with
// Dates; ftp_stat for one path; the raw forms (NLST, LIST lines, MLSD
// facts).
//
// `list(_:)` is an AsyncSequence: the listing starts when you iterate,
// entries arrive while the server sends them, and leaving the loop early
// (break, a thrown error, a cancelled task) cancels the listing.

import CFtp
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an entry is.
public enum FTPEntryKind: Sendable {
    case file, directory, link, other
    /// A line no parser understood: only `raw` and `format` are set.
    case unknown
}

/// One directory entry.
public struct FTPEntry: Sendable {
    /// The base name ("" for an unknown line).
    public let name: String
    public let kind: FTPEntryKind
    /// The size in bytes, when known.
    public let size: Int64?
    /// The modification time, when known. A UTC instant when
    /// `modifiedIsUTC`; LIST formats print the server's local time, read
    /// here as if it were UTC.
    public let modified: Date?
    public let modifiedIsUTC: Bool
    /// How finely `modified` is known, in seconds: 1, 60 or 86400 (0: unknown).
    public let modifiedPrecision: Int
    public let linkTarget: String?
    /// "rwxr-xr-x" from a Unix listing, or MLSD's unix.mode ("0644").
    public let unixMode: String?
    public let owner: String?
    public let group: String?
    /// The listing line as received ("" for a stat that probed).
    public let raw: String
    /// The parser: "mlsd", "mlst", "unix", "dos", "eplf", "vms",
    /// "netware", "probe" or "unknown".
    public let format: String

    init(_ e: ftp_entry) {
        name = fromC(e.name) ?? ""
        switch e.type {
        case Int32(FTP_ENTRY_FILE.rawValue): kind = .file
        case Int32(FTP_ENTRY_DIR.rawValue): kind = .directory
        case Int32(FTP_ENTRY_LINK.rawValue): kind = .link
        case Int32(FTP_ENTRY_OTHER.rawValue): kind = .other
        default: kind = .unknown
        }
        size = e.size >= 0 ? e.size : nil
        modified = date(fromUnix: e.mtime)
        modifiedIsUTC = e.mtime_utc
        modifiedPrecision = Int(e.mtime_precision)
        linkTarget = fromC(e.link_target)
        unixMode = fromC(e.unix_mode)
        owner = fromC(e.owner)
        group = fromC(e.group)
        raw = fromC(e.raw, count: e.raw_len)
        format = fromC(e.format) ?? ""
    }
}

/// Each parsed entry goes to a handler.
final class EntryBox: CallbackBox {
    let handler: (FTPEntry) throws -> Void

    init(_ handler: @escaping (FTPEntry) throws -> Void) {
        self.handler = handler
    }

    static let callback: ftp_entry_cb = { userdata, e in
        let box = Unmanaged<EntryBox>.fromOpaque(userdata!).takeUnretainedValue()
        guard let e = e else {
            return 0
        }
        let entry = FTPEntry(e.pointee)
        return box.guarded { try box.handler(entry) }
    }
}

/// A directory listing, entry by entry (`for try await e in ftp.list("dir")`).
public struct FTPListing: AsyncSequence, Sendable {
    public typealias Element = FTPEntry
    let client: FTPClient
    let path: String?

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<FTPEntry, Error>.Iterator

        /// The next entry, nil at the end. A cancelled task gets
        /// CancellationError, not an early nil (AsyncThrowingStream ends
        /// quietly on cancellation: a listing cut short must not look whole).
        public mutating func next() async throws -> FTPEntry? {
            let entry = try await base.next()
            if entry == nil {
                try Task.checkCancellation()
            }
            return entry
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        let client = self.client
        let path = self.path
        let stream = AsyncThrowingStream<FTPEntry, Error> { out in
            let task = Task {
                do {
                    try await client.list(path) { entry in out.yield(entry) }
                    out.finish()
                } catch {
                    out.finish(throwing: error)
                }
            }
            out.onTermination = { _ in task.cancel() }
        }
        return AsyncIterator(base: stream.makeAsyncIterator())
    }
}

extension FTPClient {
    /// The entries of directory `path` (nil or "" = the current one), as
    /// they arrive. "." and ".." are left out.
    public func list(_ path: String? = nil) -> FTPListing {
        return FTPListing(client: self, path: path)
    }

    /// The whole listing of `path` as an array.
    public func entries(_ path: String? = nil) async throws -> [FTPEntry] {
        var all: [FTPEntry] = []
        for try await e in list(path) {
            all.append(e)
        }
        return all
    }

    /// ftp_list with a handler per entry; throw from it to stop.
    public func list(_ path: String?, each handler: @escaping (FTPEntry) throws -> Void) async throws {
        let p = try checkedOrNil(path, "path")
        try await core.run { s in
            try runWithBox(s, EntryBox(handler)) { ud in
                withOptionalCString(p) { ftp_list(s, $0, EntryBox.callback, ud) }
            }
        }
    }

    /// One path's entry: MLST when the server has it, else SIZE, MDTM and
    /// CWD probes. A missing path throws (FTPError.permanent, 550).
    public func stat(_ path: String) async throws -> FTPEntry {
        let p = try checked(path, "path")
        return try await core.run { s in
            var out: UnsafePointer<ftp_entry>?
            try check(s, ftp_stat(s, p, &out))
            guard let e = out else {
                throw FTPError.internalFailure("ftp_stat gave no entry")
            }
            return FTPEntry(e.pointee)
        }
    }

    /// NLST: the names in a directory (nil = the current one).
    public func nameList(_ path: String? = nil) async throws -> [String] {
        return try await lines(path, nlst: true)
    }

    /// LIST: the listing's lines as the server sent them.
    public func listLines(_ path: String? = nil) async throws -> [String] {
        return try await lines(path, nlst: false)
    }

    private func lines(_ path: String?, nlst: Bool) async throws -> [String] {
        let p = try checkedOrNil(path, "path")
        return try await core.run { s in
            var all: [String] = []
            let box = LineBox { all.append($0) }
            try runWithBox(s, box) { ud in
                withOptionalCString(p) { cp in
                    nlst ? ftp_nlst(s, cp, LineBox.callback, ud) : ftp_dir(s, cp, LineBox.callback, ud)
                }
            }
            return all
        }
    }

    /// MLSD: each entry's name and facts (names lowercased); `facts` are
    /// asked for first with OPTS MLST when given.
    public func mlsd(_ path: String? = nil, facts: [String] = []) async throws -> [(name: String, facts: [String: String])] {
        let p = try checkedOrNil(path, "path")
        let wanted = try facts.map { try checked($0, "fact") }
        return try await core.run { s in
            let box = MlsdBox()
            let owned = wanted.map { strdup($0) }
            defer { owned.forEach { free($0) } }
            let cfacts: [UnsafePointer<CChar>?] = owned.map { $0.map { UnsafePointer($0) } }
            try runWithBox(s, box) { ud in
                withOptionalCString(p) { cp in
                    cfacts.withUnsafeBufferPointer { fb in
                        ftp_mlsd(s, cp, fb.baseAddress, fb.count, MlsdBox.callback, ud)
                    }
                }
            }
            return box.entries
        }
    }
}

/// MLSD: entries are collected.
final class MlsdBox: CallbackBox {
    var entries: [(name: String, facts: [String: String])] = []

    static let callback: ftp_mlsd_cb = { userdata, name, facts, count in
        let box = Unmanaged<MlsdBox>.fromOpaque(userdata!).takeUnretainedValue()
        var dict: [String: String] = [:]
        if let facts = facts {
            for i in 0..<count {
                if let k = facts[i].name, let v = facts[i].value {
                    dict[String(cString: k)] = String(cString: v)
                }
            }
        }
        box.entries.append((name: fromC(name) ?? "", facts: dict))
        return 0
    }
}
