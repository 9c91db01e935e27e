// LibFtp.cs: a C# (P/Invoke) binding of libftp's C API (include/ftp.h).
//
// One file, no dependency beyond System.dll; builds with mono's mcs and
// with the .NET SDK. The native library is loaded as "ftp" (libftp.so on
// Linux, libftp.dylib on macOS, ftp.dll on Windows): put it on the loader's
// search path (LD_LIBRARY_PATH, DYLD_LIBRARY_PATH, PATH, or next to the
// program), or add a mono dllmap (see README.md).
//
// Conventions carried over from the C API:
//  - Every string crosses the boundary as NUL-terminated UTF-8 in both
//    directions (decoded here with Encoding.UTF8, so the binding does not
//    depend on Marshal.PtrToStringUTF8).
//  - A failed call throws an FtpException subclass chosen by the ftp_result
//    (FTP_ERROR_PERM -> FtpPermException, ...), carrying ftp_last_error,
//    ftp_last_code and ftp_last_response of that call.
//  - Callbacks never let a managed exception cross native frames: it is
//    caught, the callback asks the library to stop (non-zero / -1), and the
//    exception is rethrown (with its original stack trace) once the native
//    call has returned. The session stays usable.
//  - An FtpClient is used by one thread at a time (calls are serialised by
//    a lock, but a transfer stream and its client must not be used from two
//    threads at once); different clients are independent.

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace LibFtp
{
    /// <summary>The ftp_result values of include/ftp.h.</summary>
    public enum FtpResult
    {
        Ok = 0,
        Reply = 1,
        Temp = 2,
        Perm = 3,
        Proto = 4,
        IO = 5,
        Eof = 6,
        Timeout = 7,
        Tls = 8,
        InvalidArgument = 9,
        State = 10,
        Callback = 11,
        Encoding = 12,
        Internal = 13,
        Cancelled = 14,
        Verify = 15,
    }

    /// <summary>ftp_tls_version.</summary>
    public enum FtpTlsVersion
    {
        Tls12 = 12,
        Tls13 = 13,
    }

    // ------------------------------------------------------------------
    // Exceptions (Python ftplib's classes in brackets)
    // ------------------------------------------------------------------

    /// <summary>Base of every libftp failure.</summary>
    public class FtpException : Exception
    {
        /// <summary>The ftp_result of the failed call.</summary>
        public FtpResult Result { get; private set; }
        /// <summary>The 3-digit code of the server's reply; 0 if there was none.</summary>
        public int ReplyCode { get; private set; }
        /// <summary>The whole server reply (lines joined by '\n'); "" if none.</summary>
        public string Reply { get; private set; }

        public FtpException(FtpResult result, string message, int replyCode, string reply)
            : base(string.IsNullOrEmpty(message) ? result.ToString() : message)
        {
            Result = result;
            ReplyCode = replyCode;
            Reply = reply ?? "";
        }

        internal static FtpException Create(FtpResult r, string message, int code, string reply)
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

    /// <summary>The session timeout expired.</summary>
    public class FtpTimeoutException : FtpIOException
    { public FtpTimeoutException(string m, int c, string r) : base(FtpResult.Timeout, m, c, r) { } }

    /// <summary>A TLS handshake, certificate or host name failure.</summary>
    public class FtpTlsException : FtpException
    { public FtpTlsException(string m, int c, string r) : base(FtpResult.Tls, m, c, r) { } }

    /// <summary>A bad argument (CR/LF/NUL in a command, a bad option value).</summary>
    public class FtpInvalidArgumentException : FtpException
    { public FtpInvalidArgumentException(string m, int c, string r) : base(FtpResult.InvalidArgument, m, c, r) { } }

    /// <summary>The call is not allowed now (not connected, transfer open, already TLS...).</summary>
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

    // ------------------------------------------------------------------
    // Handles
    // ------------------------------------------------------------------

    /// <summary>Counts the native handles alive, for leak checks.</summary>
    public static class FtpHandleStats
    {
        internal static int sessions, tlsConfigs, transfers;
        public static int Sessions { get { return Volatile.Read(ref sessions); } }
        public static int TlsConfigs { get { return Volatile.Read(ref tlsConfigs); } }
        public static int Transfers { get { return Volatile.Read(ref transfers); } }
        public static int Total { get { return Sessions + TlsConfigs + Transfers; } }
    }

    /// <summary>An ftp_session*; releasing it calls ftp_session_free.</summary>
    public sealed class FtpSessionHandle : SafeHandle
    {
        // Used by the marshaller for return values.
        public FtpSessionHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        internal void Track() { if (!IsInvalid) Interlocked.Increment(ref FtpHandleStats.sessions); }

        protected override bool ReleaseHandle()
        {
            Native.ftp_session_free(handle);
            Interlocked.Decrement(ref FtpHandleStats.sessions);
            return true;
        }
    }

    /// <summary>An ftp_tls_config*; releasing it calls ftp_tls_config_free.
    /// Sessions copy the configuration when they are created, so it may be
    /// disposed as soon as the sessions exist.</summary>
    public sealed class TlsConfigHandle : SafeHandle
    {
        public TlsConfigHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        internal void Track() { if (!IsInvalid) Interlocked.Increment(ref FtpHandleStats.tlsConfigs); }

        protected override bool ReleaseHandle()
        {
            Native.ftp_tls_config_free(handle);
            Interlocked.Decrement(ref FtpHandleStats.tlsConfigs);
            return true;
        }

        /// <summary>A configuration built from the options (ftp_tls_config_new + setters).</summary>
        public static TlsConfigHandle Create(FtpTlsOptions options)
        {
            if (options == null) options = new FtpTlsOptions();
            TlsConfigHandle h = Native.ftp_tls_config_new();
            if (h == null || h.IsInvalid) throw new OutOfMemoryException("ftp_tls_config_new returned NULL");
            h.Track();
            try
            {
                if (options.CaFile != null)
                    Check(Native.ftp_tls_config_set_ca_file(h, Utf8.Z(options.CaFile)), "CA file", options.CaFile);
                if (options.CaPath != null)
                    Check(Native.ftp_tls_config_set_ca_path(h, Utf8.Z(options.CaPath)), "CA path", options.CaPath);
                Check(Native.ftp_tls_config_set_verify_peer(h, options.VerifyPeer), "verify peer", null);
                Check(Native.ftp_tls_config_set_check_hostname(h, options.CheckHostname), "check hostname", null);
                if (options.ClientCertFile != null || options.ClientKeyFile != null)
                    Check(Native.ftp_tls_config_set_client_cert(h, Utf8.Z(options.ClientCertFile), Utf8.Z(options.ClientKeyFile)),
                          "client certificate", options.ClientCertFile);
                if (options.MinVersion.HasValue)
                    Check(Native.ftp_tls_config_set_min_version(h, (int)options.MinVersion.Value), "minimum TLS version", null);
                if (options.MaxVersion.HasValue)
                    Check(Native.ftp_tls_config_set_max_version(h, (int)options.MaxVersion.Value), "maximum TLS version", null);
            }
            catch
            {
                h.Dispose();
                throw;
            }
            return h;
        }

        static void Check(FtpResult r, string what, string arg)
        {
            if (r == FtpResult.Ok) return;
            string msg = "cannot set the TLS " + what + (arg != null ? " (" + arg + ")" : "") +
                         ": " + Utf8.FromPtr(Native.ftp_result_name(r));
            throw FtpException.Create(r, msg, 0, "");
        }
    }

    /// <summary>An ftp_transfer*; releasing it calls ftp_transfer_close
    /// (whose result is kept in CloseResult).</summary>
    public sealed class FtpTransferHandle : SafeHandle
    {
        public FtpTransferHandle() : base(IntPtr.Zero, true) { }

        internal FtpTransferHandle(IntPtr p) : base(IntPtr.Zero, true)
        {
            SetHandle(p);
            if (p != IntPtr.Zero) Interlocked.Increment(ref FtpHandleStats.transfers);
        }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        /// <summary>The result of ftp_transfer_close, once released.</summary>
        public FtpResult CloseResult { get; private set; }

        protected override bool ReleaseHandle()
        {
            CloseResult = Native.ftp_transfer_close(handle);
            Interlocked.Decrement(ref FtpHandleStats.transfers);
            return true;
        }
    }

    // ------------------------------------------------------------------
    // Native declarations
    // ------------------------------------------------------------------

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int DataCallback(IntPtr userdata, IntPtr data, UIntPtr len);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate long ReadCallback(IntPtr userdata, IntPtr buf, UIntPtr cap);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int LineCallback(IntPtr userdata, IntPtr line, UIntPtr len);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int MlsdCallback(IntPtr userdata, IntPtr name, IntPtr facts, UIntPtr nfacts);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void DebugCallback(IntPtr userdata, IntPtr line);

    /// <summary>struct ftp_fact { const char *name; const char *value; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FtpFactNative
    {
        public IntPtr Name;
        public IntPtr Value;
    }

    /// <summary>Marks the static callbacks for mono's full-AOT (Xamarin.iOS);
    /// mono matches the attribute by name.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type t) { }
    }

    /// <summary>The C API, one to one. Strings in are NUL-terminated UTF-8
    /// byte arrays (null = NULL); strings out are IntPtr (see Utf8.FromPtr).</summary>
    internal static class Native
    {
        const string Lib = "ftp";
        const CallingConvention CC = CallingConvention.Cdecl;

        [DllImport(Lib, CallingConvention = CC)] public static extern IntPtr ftp_version();
        [DllImport(Lib, CallingConvention = CC)] public static extern IntPtr ftp_result_name(FtpResult r);

        // Session life and settings
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpSessionHandle ftp_session_new();
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpSessionHandle ftp_session_new_tls(TlsConfigHandle config);
        [DllImport(Lib, CallingConvention = CC)] public static extern void ftp_session_free(IntPtr s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_timeout_ms(FtpSessionHandle s, ulong ms);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_source_address(FtpSessionHandle s, byte[] host, ushort port);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_encoding(FtpSessionHandle s, byte[] encoding);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_pasv(FtpSessionHandle s, [MarshalAs(UnmanagedType.I1)] bool passive);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_trust_server_pasv_ipv4_address(FtpSessionHandle s, [MarshalAs(UnmanagedType.I1)] bool trust);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_debuglevel(FtpSessionHandle s, int level);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_debug_callback(FtpSessionHandle s, DebugCallback cb, IntPtr userdata);

        // Connection and commands
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_connect(FtpSessionHandle s, byte[] host, ushort port);
        [DllImport(Lib, CallingConvention = CC)] public static extern IntPtr ftp_getwelcome(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_login(FtpSessionHandle s, byte[] user, byte[] passwd, byte[] acct);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_sendcmd(FtpSessionHandle s, byte[] cmd);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_voidcmd(FtpSessionHandle s, byte[] cmd);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_getresp(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_voidresp(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern IntPtr ftp_last_response(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern int ftp_last_code(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern IntPtr ftp_last_error(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_abort(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_quit(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_close(FtpSessionHandle s);

        // Listings and file operations
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_mlsd(FtpSessionHandle s, byte[] path, IntPtr[] facts, UIntPtr nfacts, MlsdCallback cb, IntPtr userdata);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_nlst(FtpSessionHandle s, byte[] args, LineCallback cb, IntPtr userdata);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_dir(FtpSessionHandle s, byte[] args, LineCallback cb, IntPtr userdata);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_rename(FtpSessionHandle s, byte[] fromname, byte[] toname);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_delete(FtpSessionHandle s, byte[] filename);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_cwd(FtpSessionHandle s, byte[] pathname);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_mkd(FtpSessionHandle s, byte[] pathname, out IntPtr pathOut);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pwd(FtpSessionHandle s, out IntPtr pathOut);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_rmd(FtpSessionHandle s, byte[] dirname);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_size(FtpSessionHandle s, byte[] filename, out long sizeOut);

        // TLS
        [DllImport(Lib, CallingConvention = CC)] public static extern TlsConfigHandle ftp_tls_config_new();
        [DllImport(Lib, CallingConvention = CC)] public static extern void ftp_tls_config_free(IntPtr c);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_tls_config_set_ca_file(TlsConfigHandle c, byte[] pemPath);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_tls_config_set_ca_path(TlsConfigHandle c, byte[] dir);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_tls_config_set_verify_peer(TlsConfigHandle c, [MarshalAs(UnmanagedType.I1)] bool verify);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_tls_config_set_check_hostname(TlsConfigHandle c, [MarshalAs(UnmanagedType.I1)] bool check);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_tls_config_set_client_cert(TlsConfigHandle c, byte[] certPem, byte[] keyPem);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_tls_config_set_min_version(TlsConfigHandle c, int v);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_tls_config_set_max_version(TlsConfigHandle c, int v);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_implicit_tls(FtpSessionHandle s, [MarshalAs(UnmanagedType.I1)] bool implicitTls);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_auth(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_prot_p(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_prot_c(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_ccc(FtpSessionHandle s);

        // Transfers
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_transfercmd(FtpSessionHandle s, byte[] cmd, long rest, out IntPtr transfer);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_ntransfercmd(FtpSessionHandle s, byte[] cmd, long rest, out IntPtr transfer, out long expectedSize);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_transfer_read(FtpTransferHandle t, IntPtr buf, UIntPtr cap, out UIntPtr nread);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_transfer_write(FtpTransferHandle t, IntPtr buf, UIntPtr len);
        [DllImport(Lib, CallingConvention = CC)] public static extern int ftp_transfer_fd(FtpTransferHandle t);
        [DllImport(Lib, CallingConvention = CC)] public static extern IntPtr ftp_transfer_last_error(FtpTransferHandle t);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_transfer_close(IntPtr t);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_retrbinary(FtpSessionHandle s, byte[] cmd, DataCallback cb, IntPtr userdata, UIntPtr blocksize, long rest);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_retrlines(FtpSessionHandle s, byte[] cmd, LineCallback cb, IntPtr userdata);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_storbinary(FtpSessionHandle s, byte[] cmd, ReadCallback read, IntPtr userdata, UIntPtr blocksize, DataCallback sent, long rest);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_storlines(FtpSessionHandle s, byte[] cmd, ReadCallback read, IntPtr userdata, DataCallback sent);
    }

    /// <summary>UTF-8 conversions at the boundary.</summary>
    internal static class Utf8
    {
        static readonly UTF8Encoding Enc = new UTF8Encoding(false, false);

        /// <summary>A NUL-terminated UTF-8 copy of s; null for null. A NUL
        /// inside s is kept, so the library sees a shorter string: commands
        /// are checked for it in FtpClient.</summary>
        public static byte[] Z(string s)
        {
            if (s == null) return null;
            int n = Enc.GetByteCount(s);
            byte[] b = new byte[n + 1];
            Enc.GetBytes(s, 0, s.Length, b, 0);
            return b;
        }

        /// <summary>Decodes a NUL-terminated UTF-8 string; null for NULL.</summary>
        public static string FromPtr(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int len = 0;
            while (Marshal.ReadByte(p, len) != 0) len++;
            return FromPtr(p, len);
        }

        /// <summary>Decodes len bytes of UTF-8 (invalid bytes become U+FFFD).</summary>
        public static string FromPtr(IntPtr p, int len)
        {
            if (p == IntPtr.Zero || len <= 0) return "";
            byte[] b = new byte[len];
            Marshal.Copy(p, b, 0, len);
            return Enc.GetString(b);
        }
    }

    // ------------------------------------------------------------------
    // Public types
    // ------------------------------------------------------------------

    /// <summary>Options of an FTPS session (ftp_tls_config + implicit TLS).</summary>
    public sealed class FtpTlsOptions
    {
        /// <summary>A PEM file of CA certificates trusted in addition to the system roots.</summary>
        public string CaFile { get; set; }
        /// <summary>A hashed directory of CA certificates (openssl rehash).</summary>
        public string CaPath { get; set; }
        /// <summary>Verify the server's certificate chain (default true). False also
        /// turns off the host name check: only for tests.</summary>
        public bool VerifyPeer { get; set; }
        /// <summary>The certificate must match the host given to Connect (default true).</summary>
        public bool CheckHostname { get; set; }
        /// <summary>Implicit FTPS: TLS from the first byte (port 0 then means 990).</summary>
        public bool Implicit { get; set; }
        /// <summary>A client certificate chain (PEM) and its key (PEM).</summary>
        public string ClientCertFile { get; set; }
        public string ClientKeyFile { get; set; }
        public FtpTlsVersion? MinVersion { get; set; }
        public FtpTlsVersion? MaxVersion { get; set; }

        public FtpTlsOptions()
        {
            VerifyPeer = true;
            CheckHostname = true;
        }
    }

    /// <summary>One MLSD entry: its name and its facts (names lowercased).</summary>
    public sealed class FtpListEntry
    {
        public string Name { get; private set; }
        public IDictionary<string, string> Facts { get; private set; }

        internal FtpListEntry(string name, IDictionary<string, string> facts)
        {
            Name = name;
            Facts = facts;
        }

        string Fact(string key)
        {
            string v;
            return Facts.TryGetValue(key, out v) ? v : null;
        }

        /// <summary>The "type" fact ("file", "dir", "cdir", "pdir", ...) or null.</summary>
        public string Type { get { return Fact("type"); } }

        /// <summary>The "size" fact, or null when absent or not a number.</summary>
        public long? Size
        {
            get
            {
                long n;
                string v = Fact("size");
                return v != null && long.TryParse(v, out n) ? n : (long?)null;
            }
        }

        /// <summary>The "modify" fact (YYYYMMDDHHMMSS[.sss], UTC) or null.</summary>
        public string Modify { get { return Fact("modify"); } }

        public override string ToString() { return Name; }
    }

    // ------------------------------------------------------------------
    // Callback plumbing: static delegates (alive for the program's life)
    // with a GCHandle to a per-call context as userdata.
    // ------------------------------------------------------------------

    internal abstract class CallbackContext
    {
        public Exception Error;
    }

    internal sealed class SinkContext : CallbackContext
    {
        public Stream Destination;
        public byte[] Buffer = new byte[0];
    }

    internal sealed class SourceContext : CallbackContext
    {
        public Stream Source;
        public byte[] Buffer = new byte[0];
    }

    internal sealed class LineContext : CallbackContext
    {
        public Action<string> OnLine;
    }

    internal sealed class MlsdContext : CallbackContext
    {
        public List<FtpListEntry> Entries = new List<FtpListEntry>();
    }

    internal static class Callbacks
    {
        public static readonly DataCallback Sink = SinkImpl;
        public static readonly ReadCallback Source = SourceImpl;
        public static readonly LineCallback Line = LineImpl;
        public static readonly MlsdCallback Mlsd = MlsdImpl;
        static readonly int FactSize = Marshal.SizeOf(typeof(FtpFactNative));

        static T Ctx<T>(IntPtr userdata) where T : class
        {
            return (T)GCHandle.FromIntPtr(userdata).Target;
        }

        [MonoPInvokeCallback(typeof(DataCallback))]
        static int SinkImpl(IntPtr userdata, IntPtr data, UIntPtr len)
        {
            SinkContext c = null;
            try
            {
                c = Ctx<SinkContext>(userdata);
                int n = checked((int)len.ToUInt64());
                if (c.Buffer.Length < n) c.Buffer = new byte[n];
                if (n > 0) Marshal.Copy(data, c.Buffer, 0, n);
                c.Destination.Write(c.Buffer, 0, n);
                return 0;
            }
            catch (Exception e)
            {
                if (c != null) c.Error = e;
                return 1;
            }
        }

        [MonoPInvokeCallback(typeof(ReadCallback))]
        static long SourceImpl(IntPtr userdata, IntPtr buf, UIntPtr cap)
        {
            SourceContext c = null;
            try
            {
                c = Ctx<SourceContext>(userdata);
                int want = (int)Math.Min(cap.ToUInt64(), (ulong)int.MaxValue);
                if (c.Buffer.Length < want) c.Buffer = new byte[want];
                int n = c.Source.Read(c.Buffer, 0, want);
                if (n > 0) Marshal.Copy(c.Buffer, 0, buf, n);
                return n;
            }
            catch (Exception e)
            {
                if (c != null) c.Error = e;
                return -1;
            }
        }

        [MonoPInvokeCallback(typeof(LineCallback))]
        static int LineImpl(IntPtr userdata, IntPtr line, UIntPtr len)
        {
            LineContext c = null;
            try
            {
                c = Ctx<LineContext>(userdata);
                c.OnLine(Utf8.FromPtr(line, checked((int)len.ToUInt64())));
                return 0;
            }
            catch (Exception e)
            {
                if (c != null) c.Error = e;
                return 1;
            }
        }

        [MonoPInvokeCallback(typeof(MlsdCallback))]
        static int MlsdImpl(IntPtr userdata, IntPtr name, IntPtr facts, UIntPtr nfacts)
        {
            MlsdContext c = null;
            try
            {
                c = Ctx<MlsdContext>(userdata);
                int n = checked((int)nfacts.ToUInt64());
                var dict = new Dictionary<string, string>(n, StringComparer.Ordinal);
                for (int i = 0; i < n; i++)
                {
                    var f = (FtpFactNative)Marshal.PtrToStructure(
                        new IntPtr(facts.ToInt64() + (long)i * FactSize), typeof(FtpFactNative));
                    dict[Utf8.FromPtr(f.Name) ?? ""] = Utf8.FromPtr(f.Value) ?? "";
                }
                c.Entries.Add(new FtpListEntry(Utf8.FromPtr(name) ?? "", dict));
                return 0;
            }
            catch (Exception e)
            {
                if (c != null) c.Error = e;
                return 1;
            }
        }
    }

    // ------------------------------------------------------------------
    // The client
    // ------------------------------------------------------------------

    /// <summary>An FTP or FTPS session (Python ftplib's FTP / FTP_TLS).</summary>
    public sealed class FtpClient : IDisposable
    {
        readonly FtpSessionHandle session;
        readonly object sync = new object();
        DebugCallback debugCallback;   // kept alive while the session may call it
        Action<string> debugHandler;

        /// <summary>A plain FTP session, not connected (ftp_session_new).</summary>
        public FtpClient() : this(Native.ftp_session_new(), false) { }

        FtpClient(FtpSessionHandle h, bool tls)
        {
            if (h == null || h.IsInvalid) throw new OutOfMemoryException("libftp could not create a session");
            h.Track();
            session = h;
            IsTls = tls;
        }

        /// <summary>An FTPS session (ftp_session_new_tls) built from the options.</summary>
        public static FtpClient CreateTls(FtpTlsOptions options = null)
        {
            if (options == null) options = new FtpTlsOptions();
            using (TlsConfigHandle config = TlsConfigHandle.Create(options))
            {
                FtpClient c = CreateTls(config);
                if (options.Implicit)
                {
                    try { c.Call(Native.ftp_set_implicit_tls(c.session, true)); }
                    catch { c.Dispose(); throw; }
                }
                return c;
            }
        }

        /// <summary>An FTPS session with a copy of a configuration (which may
        /// be disposed afterwards or shared by many sessions).</summary>
        public static FtpClient CreateTls(TlsConfigHandle config)
        {
            if (config == null) throw new ArgumentNullException("config");
            return new FtpClient(Native.ftp_session_new_tls(config), true);
        }

        /// <summary>The native session handle (closed once disposed).</summary>
        public FtpSessionHandle Handle { get { return session; } }

        /// <summary>Whether this is an FTPS session.</summary>
        public bool IsTls { get; private set; }

        /// <summary>libftp's version, e.g. "0.1.0".</summary>
        public static string LibraryVersion { get { return Utf8.FromPtr(Native.ftp_version()); } }

        /// <summary>The name of a result, e.g. "FTP_ERROR_PERM".</summary>
        public static string ResultName(FtpResult r) { return Utf8.FromPtr(Native.ftp_result_name(r)); }

        // -- error plumbing ------------------------------------------------

        void Call(FtpResult r)
        {
            if (r != FtpResult.Ok) throw LastException(r);
        }

        FtpException LastException(FtpResult r)
        {
            return FtpException.Create(r, Utf8.FromPtr(Native.ftp_last_error(session)),
                                       Native.ftp_last_code(session),
                                       Utf8.FromPtr(Native.ftp_last_response(session)));
        }

        /// <summary>Runs a native call with a callback context; a managed
        /// exception caught in a callback is rethrown first (the native call has
        /// already returned, the session is in step).</summary>
        void CallWith(CallbackContext ctx, Func<IntPtr, FtpResult> call)
        {
            GCHandle gch = GCHandle.Alloc(ctx);
            FtpResult r;
            try
            {
                r = call(GCHandle.ToIntPtr(gch));
            }
            finally
            {
                gch.Free();
            }
            if (ctx.Error != null) ExceptionDispatchInfo.Capture(ctx.Error).Throw();
            Call(r);
        }

        static byte[] Cmd(string verb, string arg)
        {
            if (arg == null) throw new ArgumentNullException("path");
            return Cmd(verb + " " + arg);
        }

        static byte[] Cmd(string command)
        {
            if (command == null) throw new ArgumentNullException("command");
            // The C API refuses CR and LF; a NUL would cut the C string short.
            if (command.IndexOf('\0') >= 0)
                throw new FtpInvalidArgumentException("a command may not contain NUL", 0, "");
            return Utf8.Z(command);
        }

        static byte[] Arg(string s, string name)
        {
            if (s == null) throw new ArgumentNullException(name);
            if (s.IndexOf('\0') >= 0)
                throw new FtpInvalidArgumentException(name + " may not contain NUL", 0, "");
            return Utf8.Z(s);
        }

        // -- settings --------------------------------------------------------

        /// <summary>The session timeout (ftp_set_timeout_ms); zero or
        /// Timeout.InfiniteTimeSpan blocks without limit.</summary>
        public void SetTimeout(TimeSpan timeout)
        {
            ulong ms = timeout <= TimeSpan.Zero ? 0UL : (ulong)Math.Ceiling(timeout.TotalMilliseconds);
            lock (sync) Call(Native.ftp_set_timeout_ms(session, ms));
        }

        /// <summary>"utf-8" (default) or "latin-1".</summary>
        public void SetEncoding(string encoding)
        {
            lock (sync) Call(Native.ftp_set_encoding(session, Arg(encoding, "encoding")));
        }

        /// <summary>Passive (default) or active data connections.</summary>
        public void SetPassive(bool passive)
        {
            lock (sync) Call(Native.ftp_set_pasv(session, passive));
        }

        /// <summary>Connect from this local address (null clears it).</summary>
        public void SetSourceAddress(string host, int port = 0)
        {
            lock (sync) Call(Native.ftp_set_source_address(session, Utf8.Z(host), checked((ushort)port)));
        }

        /// <summary>Whether to trust the address of 227 replies (default false).</summary>
        public void SetTrustServerPasvAddress(bool trust)
        {
            lock (sync) Call(Native.ftp_set_trust_server_pasv_ipv4_address(session, trust));
        }

        /// <summary>ftplib's debug levels 0-3; lines go to the handler, or to
        /// standard error when it is null.</summary>
        public void SetDebug(int level, Action<string> handler = null)
        {
            lock (sync)
            {
                Call(Native.ftp_set_debuglevel(session, level));
                if (handler == null)
                {
                    Call(Native.ftp_set_debug_callback(session, null, IntPtr.Zero));
                    debugHandler = null;
                    debugCallback = null;
                }
                else
                {
                    debugHandler = handler;
                    if (debugCallback == null) debugCallback = OnDebug;
                    Call(Native.ftp_set_debug_callback(session, debugCallback, IntPtr.Zero));
                }
            }
        }

        void OnDebug(IntPtr userdata, IntPtr line)
        {
            try
            {
                var h = debugHandler;
                if (h != null) h(Utf8.FromPtr(line));
            }
            catch
            {
                // Debug output cannot stop a call; a failing handler is ignored.
            }
        }

        // -- connection ------------------------------------------------------

        /// <summary>Connects (port 0 = 21, or 990 with implicit TLS) and reads the welcome.</summary>
        public string Connect(string host, int port = 0)
        {
            lock (sync)
            {
                Call(Native.ftp_connect(session, Arg(host, "host"), checked((ushort)port)));
                return Utf8.FromPtr(Native.ftp_getwelcome(session));
            }
        }

        /// <summary>The server's welcome, or null before a connection.</summary>
        public string Welcome
        {
            get { lock (sync) return Utf8.FromPtr(Native.ftp_getwelcome(session)); }
        }

        /// <summary>Logs in; null or "" user = anonymous. On an FTPS session
        /// AUTH TLS is done first when needed.</summary>
        public string Login(string user = null, string password = null, string account = null)
        {
            lock (sync)
            {
                Call(Native.ftp_login(session, Utf8.Z(user), Utf8.Z(password), Utf8.Z(account)));
                return Utf8.FromPtr(Native.ftp_last_response(session));
            }
        }

        /// <summary>The code of the last reply read (0 if none).</summary>
        public int LastReplyCode { get { lock (sync) return Native.ftp_last_code(session); } }

        /// <summary>The last reply read ("" if none).</summary>
        public string LastReply { get { lock (sync) return Utf8.FromPtr(Native.ftp_last_response(session)); } }

        /// <summary>Sends a command, returns the reply (must be 1xx-3xx).</summary>
        public string SendCommand(string command)
        {
            lock (sync)
            {
                Call(Native.ftp_sendcmd(session, Cmd(command)));
                return Utf8.FromPtr(Native.ftp_last_response(session));
            }
        }

        /// <summary>Sends a command, returns the reply (must be 2xx).</summary>
        public string VoidCommand(string command)
        {
            lock (sync)
            {
                Call(Native.ftp_voidcmd(session, Cmd(command)));
                return Utf8.FromPtr(Native.ftp_last_response(session));
            }
        }

        /// <summary>Reads one reply (1xx-3xx).</summary>
        public string GetResponse()
        {
            lock (sync)
            {
                Call(Native.ftp_getresp(session));
                return Utf8.FromPtr(Native.ftp_last_response(session));
            }
        }

        /// <summary>Reads one reply, which must be 2xx.</summary>
        public string VoidResponse()
        {
            lock (sync)
            {
                Call(Native.ftp_voidresp(session));
                return Utf8.FromPtr(Native.ftp_last_response(session));
            }
        }

        /// <summary>ABOR (ftplib's abort).</summary>
        public void Abort() { lock (sync) Call(Native.ftp_abort(session)); }

        /// <summary>Sends QUIT and closes the connection (closed even on error).</summary>
        public void Quit() { lock (sync) Call(Native.ftp_quit(session)); }

        /// <summary>Closes the connection without sending anything.</summary>
        public void Close() { lock (sync) Call(Native.ftp_close(session)); }

        // -- TLS -------------------------------------------------------------

        /// <summary>AUTH TLS and the handshake (Login does it when needed).</summary>
        public void Auth() { lock (sync) Call(Native.ftp_auth(session)); }

        /// <summary>PBSZ 0 + PROT P: protected data connections (Login does it by
        /// itself on TLS sessions, unless ProtC came first).</summary>
        public void ProtP() { lock (sync) Call(Native.ftp_prot_p(session)); }

        /// <summary>PROT C: clear data connections (before Login: nothing sent,
        /// Login then leaves the data connections clear).</summary>
        public void ProtC() { lock (sync) Call(Native.ftp_prot_c(session)); }

        /// <summary>CCC: the control connection goes back to clear text.</summary>
        public void Ccc() { lock (sync) Call(Native.ftp_ccc(session)); }

        // -- transfers ---------------------------------------------------------

        /// <summary>Downloads a file in binary mode (RETR) into destination;
        /// rest &gt;= 0 restarts at that offset. An exception thrown by the
        /// stream stops the transfer and is rethrown here.</summary>
        public void Download(string path, Stream destination, long rest = -1, int blockSize = 0)
        {
            RetrieveBinary(Cmd("RETR", path), destination, rest, blockSize);
        }

        /// <summary>ftplib's retrbinary with any command (e.g. "RETR x").</summary>
        public void RetrieveBinary(string command, Stream destination, long rest = -1, int blockSize = 0)
        {
            RetrieveBinary(Cmd(command), destination, rest, blockSize);
        }

        void RetrieveBinary(byte[] cmd, Stream destination, long rest, int blockSize)
        {
            if (destination == null) throw new ArgumentNullException("destination");
            if (blockSize < 0) throw new ArgumentOutOfRangeException("blockSize");
            var ctx = new SinkContext { Destination = destination };
            lock (sync)
                CallWith(ctx, ud => Native.ftp_retrbinary(session, cmd, Callbacks.Sink, ud,
                                                          new UIntPtr((uint)blockSize), rest < 0 ? -1 : rest));
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
        public void Upload(string path, Stream source, long rest = -1, int blockSize = 0)
        {
            StoreBinary(Cmd("STOR", path), source, rest, blockSize);
        }

        /// <summary>Appends source to a file (APPE).</summary>
        public void Append(string path, Stream source, int blockSize = 0)
        {
            StoreBinary(Cmd("APPE", path), source, -1, blockSize);
        }

        /// <summary>ftplib's storbinary with any command (e.g. "STOR x").</summary>
        public void StoreBinary(string command, Stream source, long rest = -1, int blockSize = 0)
        {
            StoreBinary(Cmd(command), source, rest, blockSize);
        }

        void StoreBinary(byte[] cmd, Stream source, long rest, int blockSize)
        {
            if (source == null) throw new ArgumentNullException("source");
            if (blockSize < 0) throw new ArgumentOutOfRangeException("blockSize");
            var ctx = new SourceContext { Source = source };
            lock (sync)
                CallWith(ctx, ud => Native.ftp_storbinary(session, cmd, Callbacks.Source, ud,
                                                          new UIntPtr((uint)blockSize), null, rest < 0 ? -1 : rest));
        }

        /// <summary>Uploads text (ftplib's storlines): lines sent with CRLF.</summary>
        public void StoreLines(string command, Stream source)
        {
            if (source == null) throw new ArgumentNullException("source");
            byte[] cmd = Cmd(command);
            var ctx = new SourceContext { Source = source };
            lock (sync)
                CallWith(ctx, ud => Native.ftp_storlines(session, cmd, Callbacks.Source, ud, null));
        }

        /// <summary>ftplib's retrlines: each line (without CR/LF) goes to onLine.</summary>
        public void RetrieveLines(string command, Action<string> onLine)
        {
            if (onLine == null) throw new ArgumentNullException("onLine");
            byte[] cmd = Cmd(command);
            var ctx = new LineContext { OnLine = onLine };
            lock (sync)
                CallWith(ctx, ud => Native.ftp_retrlines(session, cmd, Callbacks.Line, ud));
        }

        /// <summary>Opens a download as a Stream (TYPE I, then RETR through
        /// ftp_ntransfercmd). Read it, then dispose it: that closes the data
        /// connection and reads the final reply. Until then the client accepts
        /// no other command.</summary>
        public FtpDataStream OpenRead(string path, long rest = -1)
        {
            return OpenTransfer(Cmd("RETR", path), rest, true);
        }

        /// <summary>Opens an upload (TYPE I, then STOR) as a writable Stream;
        /// disposing it ends the upload and reads the final reply.</summary>
        public FtpDataStream OpenWrite(string path, long rest = -1)
        {
            return OpenTransfer(Cmd("STOR", path), rest, false);
        }

        FtpDataStream OpenTransfer(byte[] cmd, long rest, bool reading)
        {
            lock (sync)
            {
                Call(Native.ftp_voidcmd(session, Utf8.Z("TYPE I")));
                IntPtr t;
                long expected;
                Call(Native.ftp_ntransfercmd(session, cmd, rest < 0 ? -1 : rest, out t, out expected));
                return new FtpDataStream(this, new FtpTransferHandle(t), reading, expected);
            }
        }

        // Called by FtpDataStream.Dispose: reads the transfer's final reply.
        internal void FinishTransfer(bool complete)
        {
            lock (sync)
            {
                if (session.IsClosed) return;
                FtpResult r = Native.ftp_voidresp(session);
                if (r == FtpResult.Ok) return;
                // A transfer given up before its end gets 426/450/451 (or a
                // late 226): the reader chose to stop, that is no error.
                if (!complete && (r == FtpResult.Temp || r == FtpResult.Perm || r == FtpResult.Reply)) return;
                throw LastException(r);
            }
        }

        // -- listings ----------------------------------------------------------

        /// <summary>NLST: the names of a directory (null = the current one).</summary>
        public List<string> ListNames(string path = null)
        {
            return Lines(path, true);
        }

        /// <summary>LIST: the lines of a directory listing (null = the current one).</summary>
        public List<string> List(string path = null)
        {
            return Lines(path, false);
        }

        List<string> Lines(string args, bool nlst)
        {
            var lines = new List<string>();
            byte[] a = args == null ? null : Arg(args, "path");
            var ctx = new LineContext { OnLine = lines.Add };
            lock (sync)
                CallWith(ctx, ud => nlst ? Native.ftp_nlst(session, a, Callbacks.Line, ud)
                                         : Native.ftp_dir(session, a, Callbacks.Line, ud));
            return lines;
        }

        /// <summary>MLSD: the entries of a directory (null = the current one);
        /// facts (if any) are asked for with OPTS MLST first.</summary>
        public List<FtpListEntry> Mlsd(string path = null, params string[] facts)
        {
            byte[] p = path == null ? null : Arg(path, "path");
            var ctx = new MlsdContext();
            int n = facts == null ? 0 : facts.Length;
            IntPtr[] factPtrs = n == 0 ? null : new IntPtr[n];
            try
            {
                for (int i = 0; i < n; i++)
                {
                    byte[] z = Arg(facts[i], "fact");
                    factPtrs[i] = Marshal.AllocHGlobal(z.Length);
                    Marshal.Copy(z, 0, factPtrs[i], z.Length);
                }
                lock (sync)
                    CallWith(ctx, ud => Native.ftp_mlsd(session, p, factPtrs, new UIntPtr((uint)n), Callbacks.Mlsd, ud));
            }
            finally
            {
                if (factPtrs != null)
                    foreach (IntPtr f in factPtrs)
                        if (f != IntPtr.Zero) Marshal.FreeHGlobal(f);
            }
            return ctx.Entries;
        }

        // -- file operations ---------------------------------------------------

        public void Rename(string from, string to)
        {
            lock (sync) Call(Native.ftp_rename(session, Arg(from, "from"), Arg(to, "to")));
        }

        public void Delete(string path)
        {
            lock (sync) Call(Native.ftp_delete(session, Arg(path, "path")));
        }

        /// <summary>MKD; returns the path of the 257 reply ("" for another 2xx).</summary>
        public string MakeDirectory(string path)
        {
            lock (sync)
            {
                IntPtr p;
                Call(Native.ftp_mkd(session, Arg(path, "path"), out p));
                return Utf8.FromPtr(p) ?? "";
            }
        }

        public void RemoveDirectory(string path)
        {
            lock (sync) Call(Native.ftp_rmd(session, Arg(path, "path")));
        }

        /// <summary>CWD (".." tries CDUP first).</summary>
        public void ChangeDirectory(string path)
        {
            lock (sync) Call(Native.ftp_cwd(session, Arg(path, "path")));
        }

        public string PrintWorkingDirectory()
        {
            lock (sync)
            {
                IntPtr p;
                Call(Native.ftp_pwd(session, out p));
                return Utf8.FromPtr(p) ?? "";
            }
        }

        /// <summary>SIZE: the size for a 213 reply, -1 for another 1xx-3xx.
        /// No TYPE is sent (pyftpdlib refuses SIZE in TYPE A).</summary>
        public long GetSize(string path)
        {
            lock (sync)
            {
                long n;
                Call(Native.ftp_size(session, Arg(path, "path"), out n));
                return n;
            }
        }

        // -- life --------------------------------------------------------------

        /// <summary>Frees the session (an open connection is closed abruptly;
        /// call Quit first for a polite goodbye).</summary>
        public void Dispose()
        {
            lock (sync)
            {
                session.Dispose();
                debugCallback = null;
                debugHandler = null;
            }
        }
    }

    /// <summary>An open data connection as a Stream (from OpenRead/OpenWrite).
    /// Dispose closes it and reads the server's final reply.</summary>
    public sealed class FtpDataStream : Stream
    {
        readonly FtpClient client;
        readonly FtpTransferHandle transfer;
        readonly bool reading;
        bool eof, failed, finished;
        long position;

        internal FtpDataStream(FtpClient client, FtpTransferHandle transfer, bool reading, long expectedSize)
        {
            this.client = client;
            this.transfer = transfer;
            this.reading = reading;
            ExpectedSize = expectedSize;
        }

        /// <summary>The size announced by the 150 reply, or -1.</summary>
        public long ExpectedSize { get; private set; }

        /// <summary>The native transfer handle (closed once disposed).</summary>
        public FtpTransferHandle Handle { get { return transfer; } }

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

        FtpException TransferError(FtpResult r)
        {
            failed = true;
            return FtpException.Create(r, Utf8.FromPtr(Native.ftp_transfer_last_error(transfer)), 0, "");
        }

        static void CheckBuffer(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException("buffer");
            if (offset < 0 || count < 0 || offset > buffer.Length - count)
                throw new ArgumentOutOfRangeException("offset");
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            CheckBuffer(buffer, offset, count);
            if (!reading) throw new NotSupportedException("this transfer is an upload");
            if (transfer.IsClosed) throw new ObjectDisposedException("FtpDataStream");
            if (count == 0 || eof) return 0;
            GCHandle pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try
            {
                UIntPtr n;
                IntPtr at = new IntPtr(pin.AddrOfPinnedObject().ToInt64() + offset);
                FtpResult r = Native.ftp_transfer_read(transfer, at, new UIntPtr((uint)count), out n);
                if (r != FtpResult.Ok) throw TransferError(r);
                int got = (int)n.ToUInt32();
                if (got == 0) eof = true;
                position += got;
                return got;
            }
            finally
            {
                pin.Free();
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            CheckBuffer(buffer, offset, count);
            if (reading) throw new NotSupportedException("this transfer is a download");
            if (transfer.IsClosed) throw new ObjectDisposedException("FtpDataStream");
            if (count == 0) return;
            GCHandle pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try
            {
                IntPtr at = new IntPtr(pin.AddrOfPinnedObject().ToInt64() + offset);
                FtpResult r = Native.ftp_transfer_write(transfer, at, new UIntPtr((uint)count));
                if (r != FtpResult.Ok) throw TransferError(r);
                position += count;
            }
            finally
            {
                pin.Free();
            }
        }

        /// <summary>Closes the data connection (ftp_transfer_close) and reads
        /// the final reply (ftp_voidresp). A download read to its end, or an
        /// upload, whose final reply is an error throws; a download given up
        /// early does not (its 426 is expected).</summary>
        protected override void Dispose(bool disposing)
        {
            try
            {
                if (disposing && !finished)
                {
                    finished = true;
                    transfer.Dispose();
                    bool complete = (reading ? eof : true) && !failed;
                    client.FinishTransfer(complete);
                    if (transfer.CloseResult != FtpResult.Ok && complete)
                        throw FtpException.Create(transfer.CloseResult, "closing the data connection failed", 0, "");
                }
            }
            finally
            {
                base.Dispose(disposing);
            }
        }
    }
}
