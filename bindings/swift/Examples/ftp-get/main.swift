// ftp-get HOST PORT USER PASSWORD REMOTE-PATH LOCAL-FILE
// Downloads one file with libftp's Swift wrapper (swift run ftp-get ...).
import Foundation
import Ftp

let args = CommandLine.arguments
guard args.count == 7, let port = Int(args[2]) else {
    FileHandle.standardError.write("usage: ftp-get HOST PORT USER PASSWORD REMOTE-PATH LOCAL-FILE\n".data(using: .utf8)!)
    exit(2)
}

do {
    let ftp = try FTPClient()   // FTPS: try FTPClient(tls: FTPTLSOptions(caFile: "/path/ca.pem"))
    try ftp.setTimeout(milliseconds: 30_000)
    try ftp.connect(host: args[1], port: port)
    try ftp.login(user: args[3], password: args[4])
    guard FileManager.default.createFile(atPath: args[6], contents: nil),
          let file = FileHandle(forWritingAtPath: args[6]) else {
        FileHandle.standardError.write("ftp-get: cannot create \(args[6])\n".data(using: .utf8)!)
        exit(1)
    }
    var total = 0
    try ftp.download(path: args[5]) { chunk in   // block by block, straight to the file
        file.write(chunk)
        total += chunk.count
    }
    file.closeFile()
    print("\(args[6]): \(total) bytes (\(ftp.lastReply))")
    try ftp.quit()
} catch let error as FTPError {
    FileHandle.standardError.write("ftp-get: \(error.message) [\(error.result)], reply \(error.replyCode)\n".data(using: .utf8)!)
    exit(1)
} catch {
    FileHandle.standardError.write("ftp-get: \(error)\n".data(using: .utf8)!)
    exit(1)
}
