// FtpClient.Files.cs: operations on remote files and directories: names,
// sizes, times, checksums, creation and removal.

using System;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    public sealed partial class FtpClient
    {
        public void Rename(string from, string to)
        {
            byte[] f = Arg(from, "from"), t = Arg(to, "to");
            Run(() => Call(Native.ftp_rename(session, f, t)));
        }

        /// <summary>DELE: deletes a file.</summary>
        public void Delete(string path)
        {
            byte[] p = Arg(path, "path");
            Run(() => Call(Native.ftp_delete(session, p)));
        }

        public Task DeleteAsync(string path, CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] p = Arg(path, "path");
            return RunAsync(() => Call(Native.ftp_delete(session, p)), cancellationToken);
        }

        /// <summary>MKD; returns the path of the 257 reply ("" for another 2xx).</summary>
        public string MakeDirectory(string path)
        {
            byte[] p = Arg(path, "path");
            return Run(() =>
            {
                IntPtr o;
                Call(Native.ftp_mkd(session, p, out o));
                return Utf8.FromPtr(o) ?? "";
            });
        }

        /// <summary>mkdir -p: every missing directory of path (existing ones are fine).</summary>
        public void CreateDirectory(string path)
        {
            byte[] p = Arg(path, "path");
            Run(() => Call(Native.ftp_makedirs(session, p)));
        }

        /// <summary>RMD: removes an empty directory.</summary>
        public void RemoveDirectory(string path)
        {
            byte[] p = Arg(path, "path");
            Run(() => Call(Native.ftp_rmd(session, p)));
        }

        /// <summary>rm -r: a file, or a directory with all it holds. "" and "/"
        /// and paths with ".." are refused (FtpInvalidArgumentException).</summary>
        public void DeleteDirectory(string path)
        {
            byte[] p = Arg(path, "path");
            Run(() => Call(Native.ftp_remove_tree(session, p)));
        }

        /// <summary>CWD (".." tries CDUP first).</summary>
        public void ChangeDirectory(string path)
        {
            byte[] p = Arg(path, "path");
            Run(() => Call(Native.ftp_cwd(session, p)));
        }

        public string PrintWorkingDirectory()
        {
            return Run(() =>
            {
                IntPtr o;
                Call(Native.ftp_pwd(session, out o));
                return Utf8.FromPtr(o) ?? "";
            });
        }

        long SizeCore(byte[] path)
        {
            // SIZE counts bytes in binary mode; in ASCII mode some servers refuse
            // it (pyftpdlib: 550 "SIZE not allowed in ASCII mode"), and a fresh
            // session may be in either.
            Call(Native.ftp_voidcmd(session, Utf8.Z("TYPE I")));
            CheckCancelled();
            long n;
            Call(Native.ftp_size(session, path, out n));
            return n;
        }

        /// <summary>The size of a file in bytes (TYPE I, then SIZE); -1 when the
        /// server answers SIZE with another 1xx-3xx reply than 213.</summary>
        public long GetSize(string path)
        {
            byte[] p = Arg(path, "path");
            return Run(() => SizeCore(p));
        }

        public Task<long> GetSizeAsync(string path, CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] p = Arg(path, "path");
            return RunAsync(() => SizeCore(p), cancellationToken);
        }

        FtpListItem StatCore(byte[] path)
        {
            IntPtr e;
            Call(Native.ftp_stat(session, path, out e));
            return FtpListItem.FromNative(e, null);
        }

        /// <summary>One path's entry: MLST when advertised, else SIZE, MDTM and CWD
        /// probes (Format "probe"). A missing path throws (FtpPermException, 550).</summary>
        public FtpListItem GetObjectInfo(string path)
        {
            byte[] p = Arg(path, "path");
            return Run(() => StatCore(p));
        }

        public Task<FtpListItem> GetObjectInfoAsync(string path, CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] p = Arg(path, "path");
            return RunAsync(() => StatCore(p), cancellationToken);
        }

        /// <summary>MDTM: the modification time (Kind Utc).</summary>
        public DateTime GetModifiedTime(string path)
        {
            byte[] p = Arg(path, "path");
            return Run(() =>
            {
                long t;
                Call(Native.ftp_mdtm(session, p, out t));
                DateTime? d = FtpTime.FromUnix(t, DateTimeKind.Utc);
                if (!d.HasValue) throw new FtpProtoException("MDTM time out of DateTime's range", 0, "");
                return d.Value;
            });
        }

        /// <summary>Sets the modification time (MFMT, else SITE UTIME, ...); a
        /// Local time is converted, an Unspecified one is taken as UTC.</summary>
        public void SetModifiedTime(string path, DateTime time)
        {
            byte[] p = Arg(path, "path");
            long t = FtpTime.ToUnix(time);
            Run(() => Call(Native.ftp_set_mtime(session, p, t)));
        }

        /// <summary>The server's checksum of a file, lower-case hex: algorithm
        /// "SHA-256", "SHA-1", "MD5", "CRC32", or null for the best advertised.</summary>
        public string GetChecksum(string path, string algorithm = null)
        {
            byte[] p = Arg(path, "path"), a = OptionalArg(algorithm, "algorithm");
            return Run(() =>
            {
                IntPtr hex;
                Call(Native.ftp_checksum(session, p, a, out hex));
                return Utf8.FromPtr(hex) ?? "";
            });
        }
    }
}
