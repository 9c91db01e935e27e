// CommandTests.cs: listings, file and directory commands, error mapping, throwing callbacks (pyftpdlib).


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
        static void TestMlsd()
        {
            using (var c = OpenP())
            {
                List<FtpListEntry> entries = c.Mlsd();
                var byName = entries.ToDictionary(e => e.Name);
                foreach (string name in new[] { "hello.txt", "empty.bin", "big.bin", "lines.txt", "café.txt", "a b;c.txt" })
                {
                    Check(byName.ContainsKey(name), "MLSD lists " + name);
                    CheckEq("file", byName[name].Type, "type of " + name);
                    CheckEq((long?)new FileInfo(P.Local(name)).Length, byName[name].Size, "MLSD size of " + name);
                    Check(byName[name].Modify != null, "modify fact of " + name);
                }
                Check(byName.ContainsKey("subdir") && byName["subdir"].Type == "dir", "subdir is a dir");
                int files = 0;
                foreach (var e in entries)
                    if (e.Type == "file")
                    {
                        files++;
                        CheckEq((long?)new FileInfo(P.Local(e.Name)).Length, e.Size, "MLSD size of " + e.Name);
                    }
                Check(files >= 6, "at least 6 files");

                // Only the asked facts (OPTS MLST type;size;).
                var only = c.Mlsd("/", "type", "size");
                var h = only.First(e => e.Name == "hello.txt");
                CheckEq(12L, h.Size.Value, "hello.txt size with facts");
                Check(!h.Facts.ContainsKey("modify"), "modify not asked, not sent");

                var sub = c.Mlsd("subdir");
                Check(sub.Any(e => e.Name == "nested.txt" && e.Size == 12), "MLSD subdir");
            }
        }

        static void TestListings()
        {
            using (var c = OpenP())
            {
                var names = c.ListNames();
                foreach (string n in new[] { "hello.txt", "big.bin", "café.txt", "a b;c.txt", "subdir" })
                    Check(names.Contains(n), "NLST has " + n);
                var lines = c.List();
                Check(lines.Any(l => l.EndsWith(" hello.txt")), "LIST has hello.txt");
                Check(lines.Any(l => l.EndsWith(" café.txt")), "LIST has café.txt");
                var sub = c.ListNames("subdir");
                Check(sub.Any(n => n.EndsWith("nested.txt")), "NLST subdir");

                var got = new List<string>();
                c.RetrieveLines("RETR lines.txt", got.Add);
                CheckEq("first line|second line||fourth line, after an empty one|last line",
                        string.Join("|", got), "retrlines lines.txt");

                var pe = Expect<FtpPermException>(() => c.List("no-such-dir"), "LIST missing dir");
                CheckEq(550, pe.ReplyCode, "LIST missing code");
                Noop(c);
            }
        }

        static void TestRenameDelete()
        {
            using (var c = OpenP())
            {
                string a = UniqueName("a.txt"), b = UniqueName("b.txt");
                byte[] data = Encoding.ASCII.GetBytes("rename me\n");
                c.Upload(a, new MemoryStream(data));
                c.Rename(a, b);
                Check(!File.Exists(P.Local(a)), "old name gone");
                CheckBytes(data, File.ReadAllBytes(P.Local(b)), "new name on disk");
                c.Delete(b);
                Check(!File.Exists(P.Local(b)), "deleted");

                var e1 = Expect<FtpPermException>(() => c.Delete(b), "delete missing");
                CheckEq(550, e1.ReplyCode, "delete missing code");
                Check(e1.Reply.StartsWith("550"), "Reply text: " + e1.Reply);
                Check(e1.Message.Length > 0, "Message");
                CheckEq(FtpResult.Perm, e1.Result, "Result");
                var e2 = Expect<FtpPermException>(() => c.Rename(b, a), "rename missing");
                CheckEq(550, e2.ReplyCode, "rename missing code");
                Expect<FtpPermException>(() => c.GetSize(b), "SIZE missing");
                Noop(c);
            }
        }

        static void TestDirectories()
        {
            using (var c = OpenP())
            {
                string d = UniqueName("dir");
                CheckEq("/" + d, c.MakeDirectory(d), "MKD path");
                Check(Directory.Exists(P.Local(d)), "directory on disk");
                Expect<FtpPermException>(() => c.MakeDirectory(d), "MKD existing");
                c.ChangeDirectory(d);
                CheckEq("/" + d, c.PrintWorkingDirectory(), "PWD after CWD");
                c.Upload("inner.txt", new MemoryStream(Encoding.ASCII.GetBytes("in\n")));
                Check(File.Exists(Path.Combine(P.Local(d), "inner.txt")), "file in the new dir");
                c.ChangeDirectory("..");
                CheckEq("/", c.PrintWorkingDirectory(), "PWD after CWD ..");
                var e = Expect<FtpPermException>(() => c.RemoveDirectory(d), "RMD not empty");
                CheckEq(550, e.ReplyCode, "RMD not empty code");
                c.Delete(d + "/inner.txt");
                c.RemoveDirectory(d);
                Check(!Directory.Exists(P.Local(d)), "directory removed");
                Expect<FtpPermException>(() => c.ChangeDirectory(d), "CWD missing");
            }
        }

        static void TestWrongPassword()
        {
            using (var c = Track(new FtpClient()))
            {
                c.Timeout = TimeSpan.FromSeconds(30);
                c.Connect(P.Host, P.Port);
                var e = Expect<FtpPermException>(() => c.Login(P.User, P.Pass + "-wrong"), "wrong password");
                CheckEq(530, e.ReplyCode, "ReplyCode");
                CheckEq(FtpResult.Perm, e.Result, "Result");
                Check(e.Reply.StartsWith("530"), "Reply: " + e.Reply);
                Check(e.Message.Length > 0, "Message");
                Check(e is FtpException, "is an FtpException");
            }
        }

        static void TestErrors()
        {
            using (var c = OpenP())
            {
                var e = Expect<FtpPermException>(() => c.Download("no-such-file.bin", new MemoryStream()), "RETR missing");
                CheckEq(550, e.ReplyCode, "RETR missing code");
                Noop(c);
                Expect<FtpInvalidArgumentException>(() => c.SendCommand("NOOP\r\nDELE hello.txt"), "CRLF in a command");
                Expect<FtpInvalidArgumentException>(() => c.SendCommand("NOOP\0x"), "NUL in a command");
                Expect<FtpInvalidArgumentException>(() => c.Encoding = "ebcdic", "bad encoding");
                var u = Expect<FtpPermException>(() => c.SendCommand("XYZZY"), "unknown command");
                CheckEq(500, u.ReplyCode, "unknown command code");
                Expect<FtpReplyException>(() => c.VoidCommand("REST 0"), "3xx reply to voidcmd");
                c.Quit();
                Expect<FtpStateException>(() => c.SendCommand("NOOP"), "command after QUIT");
                // The session can connect again.
                c.Connect(P.Host, P.Port);
                c.Login(P.User, P.Pass);
                Noop(c);
                c.Close();
                c.Close();
            }
            using (var c = Track(new FtpClient()))
            {
                c.Timeout = TimeSpan.FromSeconds(10);
                // Nothing listens on port 1 of the loopback.
                Expect<FtpIOException>(() => c.Connect("127.0.0.1", 1), "connection refused");
            }
        }

        static void TestThrowingStreams()
        {
            using (var c = OpenP())
            {
                // A destination that throws stops the download; its exception comes back.
                var sink = new ThrowingSink(100000);
                var e = Expect<MarkerException>(() => c.Download("big.bin", sink), "throwing destination");
                Check(e.Message.StartsWith("sink full"), "the sink's own exception: " + e.Message);
                Check(e.StackTrace != null && e.StackTrace.Contains("ThrowingSink.Write"), "original stack trace kept");
                Check(sink.Written <= 100000, "no data kept past the limit");
                CheckEq(0, sink.CallsAfterThrow, "Write calls after the throw (the transfer must stop)");
                Noop(c);
                DownloadCompare(c, P, "hello.txt");
                DownloadCompare(c, P, "big.bin");

                // A source that throws stops the upload; its exception comes back.
                string name = UniqueName("broken-up.bin");
                var src = new ThrowingSource(50000);
                var e2 = Expect<MarkerException>(() => c.Upload(name, src), "throwing source");
                Check(e2.Message.StartsWith("source broken"), "the source's own exception");
                Noop(c);
                Check(c.ListNames().Contains(name), "partial upload exists");
                c.Delete(name);

                // A line handler that throws.
                int seen = 0;
                Expect<MarkerException>(() => c.RetrieveLines("RETR lines.txt", l =>
                {
                    if (++seen == 2) throw new MarkerException("line handler");
                }), "throwing line handler");
                CheckEq(2, seen, "lines seen before the throw");
                Noop(c);

                // The library still works on the same session after all that.
                var up = RandomBytes(300000, 3);
                string n2 = UniqueName("after.bin");
                c.Upload(n2, new MemoryStream(up));
                CheckBytes(up, File.ReadAllBytes(P.Local(n2)), "upload after the failures");
                c.Delete(n2);
            }
        }
    }
}
