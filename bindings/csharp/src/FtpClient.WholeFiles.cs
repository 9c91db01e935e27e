// FtpClient.WholeFiles.cs: a remote file to a local file and back
// (ftp_download_file / ftp_upload_file): resume, verify, atomic, progress.

using System;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    public sealed partial class FtpClient
    {
        internal static uint Flags(FtpFileOptions options)
        {
            if (((int)options & ~31) != 0) throw new ArgumentOutOfRangeException("options");
            return (uint)options;
        }

        /// <summary>Downloads remotePath into the local file localPath (binary).
        /// Options: Resume (from the local size), Verify (checksum or size
        /// afterwards: FtpVerifyException), CreateDirectories, KeepModifiedTime,
        /// Atomic (a temporary name renamed over the target once complete).
        /// With RetryAttempts, transient failures reconnect and resume.</summary>
        public void DownloadFile(string remotePath, string localPath, FtpFileOptions options = FtpFileOptions.None,
                                 IProgress<FtpProgress> progress = null)
        {
            byte[] r = Arg(remotePath, "remotePath"), l = Arg(localPath, "localPath");
            uint f = Flags(options);
            Run(() => Call(Native.ftp_download_file(session, r, l, f)), default(CancellationToken), progress);
        }

        /// <summary>DownloadFile; cancelling stops it within about 100 ms
        /// (FtpCancelledException); the local file is left as DownloadFile
        /// leaves it after a failure (untouched with Atomic).</summary>
        public Task DownloadFileAsync(string remotePath, string localPath, FtpFileOptions options = FtpFileOptions.None,
                                      IProgress<FtpProgress> progress = null,
                                      CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] r = Arg(remotePath, "remotePath"), l = Arg(localPath, "localPath");
            uint f = Flags(options);
            return RunAsync(() => Call(Native.ftp_download_file(session, r, l, f)), cancellationToken, progress);
        }

        /// <summary>Uploads the local file localPath to remotePath (binary);
        /// options as for DownloadFile (Resume: from the remote SIZE).</summary>
        public void UploadFile(string localPath, string remotePath, FtpFileOptions options = FtpFileOptions.None,
                               IProgress<FtpProgress> progress = null)
        {
            byte[] r = Arg(remotePath, "remotePath"), l = Arg(localPath, "localPath");
            uint f = Flags(options);
            Run(() => Call(Native.ftp_upload_file(session, l, r, f)), default(CancellationToken), progress);
        }

        public Task UploadFileAsync(string localPath, string remotePath, FtpFileOptions options = FtpFileOptions.None,
                                    IProgress<FtpProgress> progress = null,
                                    CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] r = Arg(remotePath, "remotePath"), l = Arg(localPath, "localPath");
            uint f = Flags(options);
            return RunAsync(() => Call(Native.ftp_upload_file(session, l, r, f)), cancellationToken, progress);
        }
    }
}
