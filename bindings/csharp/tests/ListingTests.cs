// ListingTests.cs: parsed listings (MLSD on pyftpdlib, LIST on vsftpd:
// the same fixtures must give the same entries), FEAT, GetObjectInfo.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LibFtp;

namespace LibFtp.Tests
{
    static partial class Program
    {
        static readonly string[] CommonFixtures = { "hello.txt", "empty.bin", "big.bin", "lines.txt", "subdir" };

        static string Describe(FtpListItem e)
        {
            return string.Format("{0} {1} {2}", e.Name, e.Type, e.Type == FtpEntryType.File ? e.Size : -1);
        }

        static void CheckListingMatchesDisk(List<FtpListItem> items, string dir, string what)
        {
            foreach (var e in items)
            {
                Check(e.Type != FtpEntryType.Unknown, what + ": a line no parser read: " + e.RawLine);
                string local = Path.Combine(dir, e.Name);
                if (e.Type == FtpEntryType.File)
                    CheckEq(new FileInfo(local).Length, e.Size, what + ": size of " + e.Name);
                else
                    Check(Directory.Exists(local), what + ": " + e.Name + " is a directory on disk");
                Check(e.Modified.HasValue, what + ": time of " + e.Name);
                Check(e.RawLine.Length > 0, what + ": raw line of " + e.Name);
            }
        }

        static void TestParsedListings()
        {
            List<FtpListItem> mlsd;
            using (var c = OpenP())
            {
                Check(c.HasFeature("MLST"), "pyftpdlib advertises MLST");
                CheckEq("STREAM", c.GetFeature("rest"), "REST parameters (case-insensitive name)");
                CheckEq(null, c.GetFeature("NO-SUCH-FEATURE"), "a feature not advertised");
                mlsd = c.GetListing();
                Check(mlsd.All(e => e.Format == "mlsd"), "pyftpdlib lists with MLSD");
                CheckListingMatchesDisk(mlsd, P.Root, "pyftpdlib");
                Check(mlsd.All(e => e.Modified.Value.Kind == DateTimeKind.Utc), "MLSD times are UTC");
                var sub = c.GetListing("subdir");
                CheckEq("nested.txt 12", string.Join(",", sub.Select(e => e.Name + " " + e.Size)), "subdir");
                CheckEq("subdir/nested.txt", sub[0].FullName, "FullName");

                var info = c.GetObjectInfo("big.bin");
                CheckEq(FtpEntryType.File, info.Type, "MLST type");
                CheckEq(5L * 1024 * 1024, info.Size, "MLST size");
                CheckEq(FtpEntryType.Directory, c.GetObjectInfo("subdir").Type, "MLST of a directory");
                var pe = Expect<FtpPermException>(() => c.GetObjectInfo("no-such"), "MLST of nothing");
                CheckEq(550, pe.ReplyCode, "its code");
            }
            if (V == null) throw new SkipException("FTP_TEST_VSFTPD_* not set (optional): LIST half skipped", true);
            using (var c = Track(new FtpClient()))
            {
                c.Connect(V.Host, V.Port);
                c.Login();
                Check(!c.HasFeature("MLST"), "vsftpd has no MLST");
                var list = c.GetListing("pub");
                Check(list.All(e => e.Format == "unix"), "vsftpd lists with LIST, parsed as unix");
                CheckListingMatchesDisk(list, V.Local("pub"), "vsftpd");
                Func<List<FtpListItem>, string> common = l => string.Join("; ",
                    l.Where(e => CommonFixtures.Contains(e.Name)).OrderBy(e => e.Name, StringComparer.Ordinal).Select(Describe));
                CheckEq(common(mlsd), common(list), "MLSD (pyftpdlib) and LIST (vsftpd) entries");
                CheckEq(CommonFixtures.Length, list.Count(e => CommonFixtures.Contains(e.Name)), "every fixture listed");
                Check(list.All(e => e.UnixMode != null && e.UnixMode.Length == 9), "unix modes");
                var info = c.GetObjectInfo("pub/hello.txt");
                CheckEq("probe", info.Format, "vsftpd stat probes");
                CheckEq(12L, info.Size, "probe size");
            }
        }

        static void TestWholeFiles()
        {
            string dir = Path.Combine(Path.GetTempPath(), UniqueName("whole"));
            Directory.CreateDirectory(dir);
            try
            {
                using (var c = OpenP())
                {
                    var reports = new List<FtpProgress>();
                    var progress = new SyncProgress<FtpProgress>(p => reports.Add(p));
                    string local = Path.Combine(dir, "a", "big.bin");
                    c.DownloadFile("big.bin", local, FtpFileOptions.CreateDirectories | FtpFileOptions.Verify | FtpFileOptions.Atomic, progress);
                    CheckBytes(File.ReadAllBytes(P.Local("big.bin")), File.ReadAllBytes(local), "DownloadFile");
                    Check(reports.Count >= 2, "progress reports: " + reports.Count);
                    CheckEq(0L, reports[0].TransferredBytes, "first report at 0");
                    var last = reports[reports.Count - 1];
                    CheckEq(5L * 1024 * 1024, last.TransferredBytes, "last report: everything");
                    // pyftpdlib's 150 does not announce the size (vsftpd's does).
                    Check(last.TotalBytes == 5L * 1024 * 1024 || last.TotalBytes == -1, "total: " + last.TotalBytes);
                    CheckEq(last.TotalBytes < 0 ? -1.0 : 100.0, last.Percent, "percent");
                    CheckEq("big.bin", last.RemotePath, "path");

                    string remote = UniqueName("up-whole.bin");
                    c.UploadFile(local, "updir/" + remote, FtpFileOptions.CreateDirectories | FtpFileOptions.Verify);
                    CheckBytes(File.ReadAllBytes(local), File.ReadAllBytes(P.Local("updir/" + remote)), "UploadFile");
                    c.DeleteDirectory("updir");
                    Check(!Directory.Exists(P.Local("updir")), "DeleteDirectory removed the tree");
                    Expect<FtpInvalidArgumentException>(() => c.DeleteDirectory("/"), "rm -r / refused");

                    // A progress handler that throws stops the transfer; its exception comes back.
                    var e = Expect<MarkerException>(() => c.DownloadFile("big.bin", Path.Combine(dir, "x.bin"), FtpFileOptions.None,
                        new SyncProgress<FtpProgress>(p => { if (p.TransferredBytes > 0) throw new MarkerException("enough"); })),
                        "throwing progress");
                    CheckEq("enough", e.Message, "progress exception");
                    Noop(c);
                    Expect<ArgumentOutOfRangeException>(() => c.DownloadFile("big.bin", local, (FtpFileOptions)1024), "bad flags");
                }
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }

    /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt;
    /// posts to the thread pool, after the call may have returned).</summary>
    sealed class SyncProgress<T> : IProgress<T>
    {
        readonly Action<T> report;
        public SyncProgress(Action<T> report) { this.report = report; }
        public void Report(T value) { report(value); }
    }
}
