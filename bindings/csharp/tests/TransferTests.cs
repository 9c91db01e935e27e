// TransferTests.cs: byte-exact transfers to and from streams, and transfers as streams (pyftpdlib).


using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using LibFtp;

namespace LibFtp.Tests
{
    static partial class Program
    {
        static void TestBasics()
        {
            Check(!string.IsNullOrEmpty(FtpClient.LibraryVersion), "library version");
            CheckEq("FTP_ERROR_PERM", FtpClient.ResultName(FtpResult.Perm), "result name");
            using (var c = OpenP())
            {
                Check(c.Welcome.StartsWith("220"), "Welcome property");
                CheckEq("/", c.PrintWorkingDirectory(), "PWD");
                Noop(c);
                string r = c.VoidCommand("TYPE I");
                Check(r.StartsWith("200"), "TYPE I: " + r);
                CheckEq(12L, c.GetSize("hello.txt"), "SIZE hello.txt");
            }
        }

        static void TestDownloads()
        {
            using (var c = OpenP())
            {
                foreach (string name in new[] { "hello.txt", "empty.bin", "big.bin", "lines.txt",
                                                "subdir/nested.txt", "café.txt", "a b;c.txt" })
                    DownloadCompare(c, P, name);
                byte[] big = File.ReadAllBytes(P.Local("big.bin"));
                CheckEq(5 * 1024 * 1024, big.Length, "big.bin fixture size");
                var tail = new MemoryStream();
                c.Download("big.bin", tail, 1000000, 4096);
                CheckBytes(big.Skip(1000000).ToArray(), tail.ToArray(), "download with REST 1000000");
                CheckBytes(Encoding.UTF8.GetBytes("café\n"), c.DownloadBytes("café.txt"), "café.txt content");
            }
        }

        static void TestUpload()
        {
            using (var c = OpenP())
            {
                foreach (int size in new[] { 0, 1, 8191, 8193, 3 * 1024 * 1024 + 17 })
                {
                    string name = UniqueName("up.bin");
                    byte[] data = RandomBytes(size, size);
                    c.Upload(name, new MemoryStream(data));
                    CheckEq(226, c.LastReplyCode, "STOR final reply");
                    CheckBytes(data, File.ReadAllBytes(P.Local(name)), "uploaded file on disk (" + size + " bytes)");
                    CheckBytes(data, c.DownloadBytes(name), "uploaded file downloaded back");
                    CheckEq((long)size, c.GetSize(name), "SIZE of the upload");
                    c.Delete(name);
                    Check(!File.Exists(P.Local(name)), "deleted upload gone");
                }
                // A UTF-8 name.
                string uname = UniqueName("żółw ☃.txt");
                byte[] text = Encoding.UTF8.GetBytes("unicode name\n");
                c.Upload(uname, new MemoryStream(text), -1, 5);
                CheckBytes(text, File.ReadAllBytes(P.Local(uname)), "UTF-8 named upload on disk");
                Check(c.ListNames().Contains(uname), "NLST lists the UTF-8 name");
                c.Delete(uname);
            }
        }

        static void TestOpenRead()
        {
            using (var c = OpenP())
            {
                byte[] want = File.ReadAllBytes(P.Local("big.bin"));
                FtpTransferHandle th;
                var got = new MemoryStream();
                using (FtpDataStream s = c.OpenRead("big.bin"))
                {
                    th = s.Handle;
                    Check(s.CanRead && !s.CanWrite && !s.CanSeek, "stream capabilities");
                    Check(s.ExpectedSize == want.Length || s.ExpectedSize == -1, "ExpectedSize " + s.ExpectedSize);
                    int[] sizes = { 1, 7, 4096, 65536, 100000 };
                    var buf = new byte[100000 + 13];
                    for (int i = 0; ; i++)
                    {
                        int n = s.Read(buf, 13, sizes[i % sizes.Length]);
                        if (n == 0) break;
                        got.Write(buf, 13, n);
                    }
                    CheckEq(0, s.Read(buf, 0, 10), "read after the end");
                    CheckEq((long)want.Length, s.Position, "Position at the end");
                    // The session is busy while the transfer is open.
                    var e = Expect<FtpStateException>(() => c.SendCommand("NOOP"), "NOOP during a transfer");
                    Check(e.Message.Length > 0, "state error message");
                }
                Check(th.IsClosed, "transfer handle closed after Dispose");
                CheckBytes(want, got.ToArray(), "OpenRead big.bin");
                CheckEq(226, c.LastReplyCode, "final reply read by Dispose");
                Noop(c);

                // CopyTo through the stream, with REST.
                var tail = new MemoryStream();
                using (var s = c.OpenRead("big.bin", 5000000))
                    s.CopyTo(tail);
                CheckBytes(want.Skip(5000000).ToArray(), tail.ToArray(), "OpenRead with REST");

                // Given up early: Dispose swallows the 426, the session goes on.
                using (var s = c.OpenRead("big.bin"))
                {
                    var b = new byte[10];
                    int n = s.Read(b, 0, b.Length);
                    Check(n > 0, "early read");
                }
                Noop(c);
                DownloadCompare(c, P, "hello.txt");

                // A missing file fails at open; no stream, session usable.
                var pe = Expect<FtpPermException>(() => c.OpenRead("no-such-file.bin").Dispose(), "OpenRead missing");
                CheckEq(550, pe.ReplyCode, "OpenRead missing code");
                Noop(c);
                CheckEq(0, FtpHandleStats.Transfers, "no transfer handle left");
            }
        }

        static void TestOpenWrite()
        {
            using (var c = OpenP())
            {
                string name = UniqueName("stream-up.bin");
                byte[] data = RandomBytes(1000003, 7);
                using (var s = c.OpenWrite(name))
                {
                    Check(s.CanWrite && !s.CanRead, "write stream capabilities");
                    for (int off = 0; off < data.Length; off += 65521)
                        s.Write(data, off, Math.Min(65521, data.Length - off));
                }
                CheckEq(226, c.LastReplyCode, "final reply of the stream upload");
                CheckBytes(data, File.ReadAllBytes(P.Local(name)), "OpenWrite upload on disk");
                c.Delete(name);
            }
        }
    }
}
