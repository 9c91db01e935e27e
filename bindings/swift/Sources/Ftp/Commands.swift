// File and directory operations on the server (rename, delete, mkdir -p,
// rm -r, CWD, PWD, SIZE, MDTM, MFMT...) and the features it advertises
// (FEAT, sent at most once per connection).

import CFtp
import Foundation

extension FTPClient {
    /// Whether the server advertises feature `name` ("MLST", "UTF8",
    /// "MDTM", "REST", ...; case-insensitive).
    public func hasFeature(_ name: String) async throws -> Bool {
        return try await feature(name) != nil
    }

    /// The parameters of feature `name` as the server sent them ("" when
    /// it has none, e.g. "type*;size*;modify*;" for MLST), nil when the
    /// server does not advertise it.
    public func feature(_ name: String) async throws -> String? {
        let n = try checked(name, "feature")
        return try await core.run { s in
            var has = false
            var params: UnsafePointer<CChar>?
            try check(s, ftp_has_feature(s, n, &has, &params))
            return has ? (fromC(params) ?? "") : nil
        }
    }

    public func rename(_ from: String, to: String) async throws {
        let f = try checked(from, "from")
        let t = try checked(to, "to")
        try await call { ftp_rename($0, f, t) }
    }

    /// DELE: deletes a file.
    public func delete(_ path: String) async throws {
        let p = try checked(path, "path")
        try await call { ftp_delete($0, p) }
    }

    /// MKD; returns the path of the 257 reply ("" for another 2xx reply).
    @discardableResult
    public func makeDirectory(_ path: String) async throws -> String {
        let p = try checked(path, "path")
        return try await core.run { s in
            var out: UnsafePointer<CChar>?
            try check(s, ftp_mkd(s, p, &out))
            return fromC(out) ?? ""
        }
    }

    /// `mkdir -p` on the server: existing directories are fine.
    public func makeDirectories(_ path: String) async throws {
        let p = try checked(path, "path")
        try await call { ftp_makedirs($0, p) }
    }

    /// RMD: removes an empty directory.
    public func removeDirectory(_ path: String) async throws {
        let p = try checked(path, "path")
        try await call { ftp_rmd($0, p) }
    }

    /// `rm -r` on the server (refuses "", "/" and paths with "..").
    public func removeTree(_ path: String) async throws {
        let p = try checked(path, "path")
        try await call { ftp_remove_tree($0, p) }
    }

    /// CWD ("..": CDUP first).
    public func changeDirectory(_ path: String) async throws {
        let p = try checked(path, "path")
        try await call { ftp_cwd($0, p) }
    }

    /// PWD: the current directory.
    public func currentDirectory() async throws -> String {
        return try await core.run { s in
            var out: UnsafePointer<CChar>?
            try check(s, ftp_pwd(s, &out))
            return fromC(out) ?? ""
        }
    }

    /// SIZE (no TYPE is sent: send "TYPE I" first for servers that refuse
    /// SIZE in ASCII mode); nil when the reply was not 213.
    public func size(_ path: String) async throws -> Int64? {
        let p = try checked(path, "path")
        return try await core.run { s in
            var n: Int64 = -1
            try check(s, ftp_size(s, p, &n))
            return n >= 0 ? n : nil
        }
    }

    /// MDTM: the modification time (UTC).
    public func modificationTime(_ path: String) async throws -> Date {
        let p = try checked(path, "path")
        return try await core.run { s in
            var t = Int64.min
            try check(s, ftp_mdtm(s, p, &t))
            guard let d = date(fromUnix: t) else {
                throw FTPError.internalFailure("ftp_mdtm gave no time")
            }
            return d
        }
    }

    /// Sets the modification time (MFMT, else SITE UTIME, else MDTM),
    /// whole seconds.
    public func setModificationTime(_ path: String, to time: Date) async throws {
        let p = try checked(path, "path")
        let t = Int64(time.timeIntervalSince1970.rounded(.down))
        try await call { ftp_set_mtime($0, p, t) }
    }
}
