// FtpPool.Mirror.cs: copying directory trees over a pool (ftp_pool_mirror).
// Compiled only with -define:LIBFTP_NEXT until libftp exports ftp_pool_mirror.

#if LIBFTP_NEXT
using System;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    /// <summary>Which way a mirror copies (FTP_MIRROR_DOWNLOAD / _UPLOAD).</summary>
    public enum FtpMirrorDirection
    {
        Download = 0,
        Upload = 1,
    }

    /// <summary>Mirror-only flags (FTP_MIRROR_NEWER, FTP_MIRROR_DELETE).</summary>
    [Flags]
    public enum FtpMirrorOptions
    {
        None = 0,
        /// <summary>Copy only files missing, older or of another size on the target.</summary>
        Newer = 32,
        /// <summary>Delete target files the source does not have.</summary>
        Delete = 64,
    }

    /// <summary>What a mirror did (ftp_mirror_report).</summary>
    public sealed class FtpMirrorReport
    {
        public long FilesCopied { get; internal set; }
        public long FilesSkipped { get; internal set; }
        public long FilesDeleted { get; internal set; }
        public long FilesFailed { get; internal set; }
        public long Bytes { get; internal set; }
    }

    public sealed partial class FtpPool
    {
        /// <summary>Copies the tree remoteDir (relative to the URL's directory) to
        /// localDir, or back, with up to MaxSessions transfers at once. A failed
        /// file does not stop the others; the call then throws the first
        /// failure, with the report in its Data[FtpPool.ReportKey].
        /// options: Resume, Verify, KeepModifiedTime, Atomic. Stopped by another
        /// call's token (see FtpPool), it runs again: the report is that run's.</summary>
        public FtpMirrorReport Mirror(FtpMirrorDirection direction, string remoteDir, string localDir,
                                      FtpFileOptions options = FtpFileOptions.None,
                                      FtpMirrorOptions mirrorOptions = FtpMirrorOptions.None,
                                      IProgress<FtpProgress> progress = null,
                                      CancellationToken cancellationToken = default(CancellationToken))
        {
            if (direction != FtpMirrorDirection.Download && direction != FtpMirrorDirection.Upload)
                throw new ArgumentOutOfRangeException("direction");
            if (((int)mirrorOptions & ~96) != 0) throw new ArgumentOutOfRangeException("mirrorOptions");
            byte[] r = Arg(remoteDir, "remoteDir"), l = Arg(localDir, "localDir");
            uint f = Flags(options) | (uint)mirrorOptions;
            var native = new FtpMirrorReportNative();
            Func<FtpMirrorReport> report = () => new FtpMirrorReport
            {
                FilesCopied = (long)native.FilesCopied, FilesSkipped = (long)native.FilesSkipped,
                FilesDeleted = (long)native.FilesDeleted, FilesFailed = (long)native.FilesFailed,
                Bytes = (long)native.Bytes,
            };
            try
            {
                return Run(remoteDir, true, cancellationToken, progress,
                           () => Native.ftp_pool_mirror(pool, (int)direction, r, l, f, out native), report);
            }
            catch (Exception e) when (e is IFtpError)
            {
                e.Data[ReportKey] = report();
                throw;
            }
        }

        /// <summary>The key of the FtpMirrorReport in a failed Mirror's Exception.Data.</summary>
        public const string ReportKey = "FtpMirrorReport";

        public Task<FtpMirrorReport> MirrorAsync(FtpMirrorDirection direction, string remoteDir, string localDir,
                                                 FtpFileOptions options = FtpFileOptions.None,
                                                 FtpMirrorOptions mirrorOptions = FtpMirrorOptions.None,
                                                 IProgress<FtpProgress> progress = null,
                                                 CancellationToken cancellationToken = default(CancellationToken))
        {
            return Task.Factory.StartNew(() => Mirror(direction, remoteDir, localDir, options, mirrorOptions, progress, cancellationToken),
                                         CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }
}
#endif
