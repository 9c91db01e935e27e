// Exceptions.cs: what a failed libftp call throws, chosen by its ftp_result.
//
// Every failure carries IFtpError (Result, ReplyCode, Reply). Most are an
// FtpException, which is an IOException; a timeout is an FtpTimeoutException
// (a TimeoutException) and a cancelled call an FtpCancelledException (an
// OperationCanceledException), so that the .NET idioms
// `catch (IOException)`, `catch (TimeoutException)` and
// `catch (OperationCanceledException)` see them.

using System;
using System.IO;
using System.Threading;

namespace LibFtp
{
    /// <summary>What every libftp failure tells, whatever its .NET base class.</summary>
    public interface IFtpError
    {
        /// <summary>The ftp_result of the failed call.</summary>
        FtpResult Result { get; }
        /// <summary>The 3-digit code of the server's reply; 0 if there was none.</summary>
        int ReplyCode { get; }
        /// <summary>The whole server reply (lines joined by '\n'); "" if none.</summary>
        string Reply { get; }
    }

    /// <summary>Base of every libftp failure but timeouts and cancellations.</summary>
    public class FtpException : IOException, IFtpError
    {
        public FtpResult Result { get; private set; }
        public int ReplyCode { get; private set; }
        public string Reply { get; private set; }

        public FtpException(FtpResult result, string message, int replyCode, string reply)
            : base(string.IsNullOrEmpty(message) ? result.ToString() : message)
        {
            Result = result;
            ReplyCode = replyCode;
            Reply = reply ?? "";
        }

        /// <summary>The exception for a result (FTP_ERROR_PERM -> FtpPermException, ...).
        /// A Cancelled result becomes an FtpCancelledException carrying token.</summary>
        internal static Exception Create(FtpResult r, string message, int code, string reply,
                                         CancellationToken token = default(CancellationToken))
        {
            switch (r)
            {
                case FtpResult.Reply: return new FtpReplyException(message, code, reply);
                case FtpResult.Temp: return new FtpTempException(message, code, reply);
                case FtpResult.Perm: return new FtpPermException(message, code, reply);
                case FtpResult.Proto: return new FtpProtoException(message, code, reply);
                case FtpResult.IO: return new FtpIOException(message, code, reply);
                case FtpResult.Eof: return new FtpEofException(message, code, reply);
                case FtpResult.Timeout: return new FtpTimeoutException(message, code, reply);
                case FtpResult.Tls: return new FtpTlsException(message, code, reply);
                case FtpResult.InvalidArgument: return new FtpInvalidArgumentException(message, code, reply);
                case FtpResult.State: return new FtpStateException(message, code, reply);
                case FtpResult.Callback: return new FtpCallbackException(message, code, reply);
                case FtpResult.Encoding: return new FtpEncodingException(message, code, reply);
                case FtpResult.Internal: return new FtpInternalException(message, code, reply);
                case FtpResult.Cancelled: return new FtpCancelledException(message, code, reply, token);
                case FtpResult.Verify: return new FtpVerifyException(message, code, reply);
                default: return new FtpException(r, message, code, reply);
            }
        }
    }

    /// <summary>An unexpected 1xx/2xx/3xx reply [ftplib.error_reply].</summary>
    public class FtpReplyException : FtpException
    { public FtpReplyException(string m, int c, string r) : base(FtpResult.Reply, m, c, r) { } }

    /// <summary>A 4xx reply [ftplib.error_temp].</summary>
    public class FtpTempException : FtpException
    { public FtpTempException(string m, int c, string r) : base(FtpResult.Temp, m, c, r) { } }

    /// <summary>A 5xx reply [ftplib.error_perm].</summary>
    public class FtpPermException : FtpException
    { public FtpPermException(string m, int c, string r) : base(FtpResult.Perm, m, c, r) { } }

    /// <summary>Not an FTP reply, a line or reply too long [ftplib.error_proto].</summary>
    public class FtpProtoException : FtpException
    { public FtpProtoException(string m, int c, string r) : base(FtpResult.Proto, m, c, r) { } }

    /// <summary>A socket or file error [OSError].</summary>
    public class FtpIOException : FtpException
    {
        public FtpIOException(string m, int c, string r) : base(FtpResult.IO, m, c, r) { }
        protected FtpIOException(FtpResult res, string m, int c, string r) : base(res, m, c, r) { }
    }

    /// <summary>The server closed the connection [EOFError].</summary>
    public class FtpEofException : FtpIOException
    { public FtpEofException(string m, int c, string r) : base(FtpResult.Eof, m, c, r) { } }

    /// <summary>A TLS handshake, certificate or host name failure.</summary>
    public class FtpTlsException : FtpException
    { public FtpTlsException(string m, int c, string r) : base(FtpResult.Tls, m, c, r) { } }

    /// <summary>A bad argument (CR/LF/NUL in a command, a bad option value).</summary>
    public class FtpInvalidArgumentException : FtpException
    { public FtpInvalidArgumentException(string m, int c, string r) : base(FtpResult.InvalidArgument, m, c, r) { } }

    /// <summary>The call is not allowed now (not connected, transfer open, a call
    /// from inside one of this client's callbacks, already TLS...).</summary>
    public class FtpStateException : FtpException
    { public FtpStateException(string m, int c, string r) : base(FtpResult.State, m, c, r) { } }

    /// <summary>A callback asked to stop (only seen when no managed exception caused it).</summary>
    public class FtpCallbackException : FtpException
    { public FtpCallbackException(string m, int c, string r) : base(FtpResult.Callback, m, c, r) { } }

    /// <summary>Text not representable in the session encoding.</summary>
    public class FtpEncodingException : FtpException
    { public FtpEncodingException(string m, int c, string r) : base(FtpResult.Encoding, m, c, r) { } }

    /// <summary>A bug in libftp (a caught panic); the session is dead.</summary>
    public class FtpInternalException : FtpException
    { public FtpInternalException(string m, int c, string r) : base(FtpResult.Internal, m, c, r) { } }

    /// <summary>A whole-file copy does not match the original (checksum, size or time).</summary>
    public class FtpVerifyException : FtpException
    { public FtpVerifyException(string m, int c, string r) : base(FtpResult.Verify, m, c, r) { } }

    /// <summary>The session timeout expired (FTP_ERROR_TIMEOUT). A TimeoutException.</summary>
    public class FtpTimeoutException : TimeoutException, IFtpError
    {
        public FtpResult Result { get { return FtpResult.Timeout; } }
        public int ReplyCode { get; private set; }
        public string Reply { get; private set; }

        public FtpTimeoutException(string m, int c, string r)
            : base(string.IsNullOrEmpty(m) ? "timeout" : m)
        {
            ReplyCode = c;
            Reply = r ?? "";
        }
    }

    /// <summary>The call was cancelled (its CancellationToken, FtpClient.Cancel,
    /// or Dispose from another thread): FTP_ERROR_CANCELLED. An
    /// OperationCanceledException whose CancellationToken is the call's.</summary>
    public class FtpCancelledException : OperationCanceledException, IFtpError
    {
        public FtpResult Result { get { return FtpResult.Cancelled; } }
        public int ReplyCode { get; private set; }
        public string Reply { get; private set; }

        public FtpCancelledException(string m, int c, string r, CancellationToken token)
            : base(string.IsNullOrEmpty(m) ? "cancelled" : m, token)
        {
            ReplyCode = c;
            Reply = r ?? "";
        }
    }
}
