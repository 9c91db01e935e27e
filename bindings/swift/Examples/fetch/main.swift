// fetch: the common job. Connect by URL with FTPS, list the directory,
// download a file with progress, give up (cancel) after a time limit.
//
//   swift run fetch URL REMOTE-FILE LOCAL-FILE [SECONDS] [CA-FILE]
//   swift run fetch ftpes://user:secret@ftp.example.com/pub/ big.iso big.iso 300
import Foundation
import Ftp

func fail(_ text: String, _ status: Int32) -> Never {
    FileHandle.standardError.write((text + "\n").data(using: .utf8)!)
    exit(status)
}

let args = CommandLine.arguments
if args.count < 4 {
    fail("usage: fetch URL REMOTE-FILE LOCAL-FILE [SECONDS] [CA-FILE]", 2)
}
let (url, remote, local) = (args[1], args[2], args[3])
let limit = args.count > 4 ? (Double(args[4]) ?? 300) : 300
// Whom to trust: CA-FILE if given, else the system's CAs; the
// certificate must name the URL's host.
let tls = FTPTLSOptions(caFile: args.count > 5 ? args[5] : nil)

let job = Task { () async throws -> Void in
    // ftpes:// = AUTH TLS on port 21, ftps:// = implicit TLS on 990. After
    // the login, PBSZ 0 + PROT P: listings and file data travel in TLS too.
    let ftp = try await FTPClient.connect(url: url, tls: tls)
    let when = DateFormatter()
    when.dateFormat = "yyyy-MM-dd HH:mm"
    for try await e in ftp.list() {           // entries as the server sends them
        let size = e.size.map { "\($0)" } ?? "-"
        let time = e.modified.map { when.string(from: $0) } ?? "?"
        print("\(e.kind)".padding(toLength: 10, withPad: " ", startingAt: 0), size, time, e.name)
    }
    try await ftp.downloadFile(remote, to: local, options: [.atomic, .verify],
                               progress: { p in
        var line = "\r\(p.path): \(p.offset + p.bytes) bytes"
        if let f = p.fractionCompleted {
            line += String(format: ", %.1f %%", f * 100)
        }
        FileHandle.standardError.write(line.data(using: .utf8)!)
    })
    FileHandle.standardError.write("\n".data(using: .utf8)!)
    try await ftp.quit()
}
// The time limit: cancelling the task cancels the running libftp call.
let timer = Task {
    try await Task.sleep(nanoseconds: UInt64(limit * 1_000_000_000))
    job.cancel()
}

do {
    try await job.value
    timer.cancel()
    print("\(local): done")
} catch is CancellationError {
    fail("\nfetch: gave up after \(limit) s (nothing left at \(local): .atomic)", 1)
} catch let e as FTPError {
    fail("\nfetch: \(e.message) [\(e.result), reply \(e.replyCode)]", 1)
} catch {
    fail("\nfetch: \(error)", 1)
}
