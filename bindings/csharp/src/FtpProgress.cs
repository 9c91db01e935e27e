// FtpProgress.cs: one progress report of a transfer (ftp_progress), as
// given to an IProgress<FtpProgress>.

using System;

namespace LibFtp
{
    /// <summary>A snapshot of a transfer's progress (immutable: safe to keep
    /// and to hand to another thread, as Progress&lt;T&gt; does).</summary>
    public sealed class FtpProgress
    {
        /// <summary>The remote path of the file in transfer ("" for a bare LIST).</summary>
        public string RemotePath { get; private set; }
        /// <summary>Bytes moved so far by this call (bytes skipped by a resume not counted).</summary>
        public long TransferredBytes { get; private set; }
        /// <summary>Where the transfer started in the file (the REST offset; 0 without).</summary>
        public long Offset { get; private set; }
        /// <summary>The size of the whole file; -1 when unknown.</summary>
        public long TotalBytes { get; private set; }
        /// <summary>Time since the data connection opened.</summary>
        public TimeSpan Elapsed { get; private set; }

        internal FtpProgress(string path, long bytes, long offset, long total, TimeSpan elapsed)
        {
            RemotePath = path ?? "";
            TransferredBytes = bytes;
            Offset = offset;
            TotalBytes = total;
            Elapsed = elapsed;
        }

        /// <summary>Percent of the whole file present (offset + transferred), or -1 when the size is unknown.</summary>
        public double Percent
        {
            get { return TotalBytes > 0 ? Math.Min(100.0, 100.0 * (Offset + TransferredBytes) / TotalBytes) : (TotalBytes == 0 ? 100.0 : -1); }
        }

        /// <summary>Average rate of this call so far (0 before any time passed).</summary>
        public double BytesPerSecond
        {
            get { return Elapsed.TotalSeconds > 0 ? TransferredBytes / Elapsed.TotalSeconds : 0; }
        }

        public override string ToString()
        {
            return string.Format("{0}: {1} of {2} bytes in {3:0.000} s", RemotePath, Offset + TransferredBytes, TotalBytes, Elapsed.TotalSeconds);
        }
    }
}
