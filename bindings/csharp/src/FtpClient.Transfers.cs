// FtpClient.Transfers.cs: transfers to and from Streams (ftplib's
// retrbinary/storbinary/retrlines/storlines) and transfers as Streams.

using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    public sealed partial class FtpClient
    {
        static long Rest(long rest) { return rest < 0 ? -1 : rest; }

        static void CheckBlockSize(int blockSize)
        {
            if (blockSize < 0) throw new ArgumentOutOfRangeException("blockSize");
        }

        void RetrieveCore(byte[] cmd, Stream destination, long rest, int blockSize)
        {
            if (destination == null) throw new ArgumentNullException("destination");
            CheckBlockSize(blockSize);
            var ctx = new SinkContext { Destination = destination };
            CallWith(ctx, ud => Native.ftp_retrbinary(session, cmd, Callbacks.Sink, ud, new UIntPtr((uint)blockSize), Rest(rest)));
        }

        void StoreCore(byte[] cmd, Stream source, long rest, int blockSize)
        {
            if (source == null) throw new ArgumentNullException("source");
            CheckBlockSize(blockSize);
            var ctx = new SourceContext { Source = source };
            CallWith(ctx, ud => Native.ftp_storbinary(session, cmd, Callbacks.Source, ud, new UIntPtr((uint)blockSize), null, Rest(rest)));
        }

        /// <summary>Downloads a file in binary mode (RETR) into destination;
        /// rest &gt;= 0 restarts at that offset. An exception thrown by the
        /// stream (or by progress) stops the transfer and is rethrown here.</summary>
        public void Download(string path, Stream destination, long rest = -1, int blockSize = 0,
                             IProgress<FtpProgress> progress = null)
        {
            byte[] cmd = Cmd("RETR", path);
            Run(() => RetrieveCore(cmd, destination, rest, blockSize), default(CancellationToken), progress);
        }

        /// <summary>Download; cancelling stops the transfer within about 100 ms
        /// (FtpCancelledException) and leaves the session usable or closed.
        /// destination is written from the call's own thread.</summary>
        public Task DownloadAsync(string path, Stream destination, IProgress<FtpProgress> progress = null,
                                  CancellationToken cancellationToken = default(CancellationToken), long rest = -1)
        {
            byte[] cmd = Cmd("RETR", path);
            return RunAsync(() => RetrieveCore(cmd, destination, rest, 0), cancellationToken, progress);
        }

        /// <summary>ftplib's retrbinary with any command (e.g. "RETR x").</summary>
        public void RetrieveBinary(string command, Stream destination, long rest = -1, int blockSize = 0)
        {
            byte[] cmd = Cmd(command);
            Run(() => RetrieveCore(cmd, destination, rest, blockSize));
        }

        /// <summary>Downloads a whole file into memory.</summary>
        public byte[] DownloadBytes(string path)
        {
            using (var ms = new MemoryStream())
            {
                Download(path, ms);
                return ms.ToArray();
            }
        }

        /// <summary>Uploads source in binary mode (STOR) until its end. An
        /// exception thrown by the stream stops the upload and is rethrown
        /// here (the server keeps the part received).</summary>
        public void Upload(string path, Stream source, long rest = -1, int blockSize = 0,
                           IProgress<FtpProgress> progress = null)
        {
            byte[] cmd = Cmd("STOR", path);
            Run(() => StoreCore(cmd, source, rest, blockSize), default(CancellationToken), progress);
        }

        /// <summary>Upload; cancelling stops it within about 100 ms (the server
        /// keeps the part received).</summary>
        public Task UploadAsync(string path, Stream source, IProgress<FtpProgress> progress = null,
                                CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] cmd = Cmd("STOR", path);
            return RunAsync(() => StoreCore(cmd, source, -1, 0), cancellationToken, progress);
        }

        /// <summary>Appends source to a file (APPE).</summary>
        public void Append(string path, Stream source, int blockSize = 0)
        {
            byte[] cmd = Cmd("APPE", path);
            Run(() => StoreCore(cmd, source, -1, blockSize));
        }

        /// <summary>ftplib's storbinary with any command (e.g. "STOR x").</summary>
        public void StoreBinary(string command, Stream source, long rest = -1, int blockSize = 0)
        {
            byte[] cmd = Cmd(command);
            Run(() => StoreCore(cmd, source, rest, blockSize));
        }

        /// <summary>Uploads text (ftplib's storlines): lines sent with CRLF.</summary>
        public void StoreLines(string command, Stream source)
        {
            if (source == null) throw new ArgumentNullException("source");
            byte[] cmd = Cmd(command);
            var ctx = new SourceContext { Source = source };
            Run(() => CallWith(ctx, ud => Native.ftp_storlines(session, cmd, Callbacks.Source, ud, null)));
        }

        /// <summary>ftplib's retrlines: each line (without CR/LF) goes to onLine.</summary>
        public void RetrieveLines(string command, Action<string> onLine)
        {
            if (onLine == null) throw new ArgumentNullException("onLine");
            byte[] cmd = Cmd(command);
            var ctx = new LineContext { OnLine = onLine };
            Run(() => CallWith(ctx, ud => Native.ftp_retrlines(session, cmd, Callbacks.Line, ud)));
        }

        /// <summary>Opens a download as a Stream (TYPE I, then RETR through
        /// ftp_ntransfercmd). Read it, then Finish or Dispose it: that closes
        /// the data connection and reads the final reply. Until then the
        /// client accepts no other command (FtpStateException).</summary>
        public FtpDataStream OpenRead(string path, long rest = -1)
        {
            return OpenTransfer(Cmd("RETR", path), path, rest, true);
        }

        /// <summary>Opens an upload (TYPE I, then STOR) as a writable Stream;
        /// Finish ends the upload and throws if the server refused it.</summary>
        public FtpDataStream OpenWrite(string path, long rest = -1)
        {
            return OpenTransfer(Cmd("STOR", path), path, rest, false);
        }

        FtpDataStream OpenTransfer(byte[] cmd, string path, long rest, bool reading)
        {
            return Run(() =>
            {
                Call(Native.ftp_voidcmd(session, Utf8.Z("TYPE I")));
                // Servers differ in what a 150 announces after REST (vsftpd: the
                // whole file; ProFTPD: what is left), so a restarted download's
                // expected length comes from SIZE.
                long whole = -1;
                if (reading && rest > 0 && Native.ftp_size(session, Utf8.Z(path), out whole) != FtpResult.Ok)
                    whole = -1;
                CheckCancelled();
                IntPtr t;
                long announced;
                Call(Native.ftp_ntransfercmd(session, cmd, Rest(rest), out t, out announced));
                long expected = !reading ? -1 : rest > 0 ? (whole >= rest ? whole - rest : -1) : announced;
                return new FtpDataStream(this, new FtpTransferHandle(t), reading, expected);
            });
        }

        // Called by FtpDataStream.Finish: reads the transfer's final reply.
        internal string FinishTransfer(bool complete)
        {
            return Run(() =>
            {
                FtpResult r = Native.ftp_voidresp(session);
                if (r == FtpResult.Ok) return LastResponseText();
                // A transfer given up before its end gets 426/450/451 (or a
                // late 226): the reader chose to stop, that is no error.
                if (!complete && (r == FtpResult.Temp || r == FtpResult.Perm || r == FtpResult.Reply)) return LastResponseText();
                throw LastException(r);
            });
        }
    }
}
