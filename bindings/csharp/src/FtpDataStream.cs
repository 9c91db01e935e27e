// FtpDataStream.cs: an open data connection as a Stream (OpenRead/OpenWrite).

using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace LibFtp
{
    /// <summary>An open data connection as a Stream (from OpenRead/OpenWrite).
    /// Finish closes it and reads the server's final reply, throwing when the
    /// server reports a failure; Dispose does the same but never throws (an
    /// exception propagating out of a `using` block is never hidden): what
    /// went wrong stays in FinishError. FtpClient.Cancel from another thread
    /// stops a Read or Write in progress (FtpCancelledException).</summary>
    public sealed class FtpDataStream : Stream
    {
        readonly FtpClient client;
        readonly FtpTransferHandle transfer;
        readonly bool reading;
        bool eof, failed, finished;
        long position;
        Exception finishError;
        string finalReply;

        internal FtpDataStream(FtpClient client, FtpTransferHandle transfer, bool reading, long expectedSize)
        {
            this.client = client;
            this.transfer = transfer;
            this.reading = reading;
            ExpectedSize = expectedSize;
        }

        /// <summary>The bytes this download will deliver (the 150 reply's size,
        /// or after a restart the SIZE less the offset), or -1 when unknown.</summary>
        public long ExpectedSize { get; private set; }

        /// <summary>The native transfer handle (closed once finished).</summary>
        public FtpTransferHandle Handle { get { return transfer; } }

        /// <summary>What Finish (or Dispose) met, or null.</summary>
        public Exception FinishError { get { return finishError; } }

        public override bool CanRead { get { return reading && !transfer.IsClosed; } }
        public override bool CanWrite { get { return !reading && !transfer.IsClosed; } }
        public override bool CanSeek { get { return false; } }
        public override long Length { get { throw new NotSupportedException(); } }
        public override long Position
        {
            get { return position; }
            set { throw new NotSupportedException(); }
        }
        public override long Seek(long offset, SeekOrigin origin) { throw new NotSupportedException(); }
        public override void SetLength(long value) { throw new NotSupportedException(); }
        public override void Flush() { }

        Exception TransferError(FtpResult r)
        {
            failed = true;
            return FtpException.Create(r, Utf8.FromPtr(Native.ftp_transfer_last_error(transfer)), 0, "");
        }

        void CheckUse(byte[] buffer, int offset, int count, bool forReading)
        {
            if (buffer == null) throw new ArgumentNullException("buffer");
            if (offset < 0 || count < 0 || offset > buffer.Length - count)
                throw new ArgumentOutOfRangeException("offset");
            if (reading != forReading)
                throw new NotSupportedException(reading ? "this transfer is a download" : "this transfer is an upload");
            if (transfer.IsClosed) throw new ObjectDisposedException("FtpDataStream");
        }

        /// <summary>Runs a native read or write on the pinned buffer.</summary>
        FtpResult Pinned(byte[] buffer, int offset, Func<IntPtr, FtpResult> io)
        {
            GCHandle pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try
            {
                return io(new IntPtr(pin.AddrOfPinnedObject().ToInt64() + offset));
            }
            finally
            {
                pin.Free();
            }
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            CheckUse(buffer, offset, count, true);
            if (count == 0 || eof) return 0;
            UIntPtr n = UIntPtr.Zero;
            FtpResult r = Pinned(buffer, offset, at => Native.ftp_transfer_read(transfer, at, new UIntPtr((uint)count), out n));
            if (r != FtpResult.Ok) throw TransferError(r);
            int got = (int)n.ToUInt32();
            if (got == 0) eof = true;
            position += got;
            return got;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            CheckUse(buffer, offset, count, false);
            if (count == 0) return;
            FtpResult r = Pinned(buffer, offset, at => Native.ftp_transfer_write(transfer, at, new UIntPtr((uint)count)));
            if (r != FtpResult.Ok) throw TransferError(r);
            position += count;
        }

        /// <summary>Closes the data connection (ftp_transfer_close) and reads the
        /// final reply, which it returns. Throws when the upload, or a download
        /// read to its end, failed; a download given up early is closed quietly
        /// (its 426 is expected). A second call repeats the first's outcome.</summary>
        public string Finish()
        {
            if (!finished)
            {
                finished = true;
                try
                {
                    transfer.Dispose();
                    bool complete = (reading ? eof : true) && !failed;
                    finalReply = client.FinishTransfer(complete);
                    if (transfer.CloseResult != FtpResult.Ok && complete)
                        throw FtpException.Create(transfer.CloseResult, "closing the data connection failed", 0, "");
                }
                catch (Exception e)
                {
                    finishError = e;
                }
            }
            if (finishError != null) ExceptionDispatchInfo.Capture(finishError).Throw();
            return finalReply;
        }

        /// <summary>Finish without throwing (see FinishError).</summary>
        protected override void Dispose(bool disposing)
        {
            try
            {
                if (disposing && !finished)
                {
                    try { Finish(); }
                    catch { /* kept in FinishError */ }
                }
            }
            finally
            {
                base.Dispose(disposing);
            }
        }
    }
}
