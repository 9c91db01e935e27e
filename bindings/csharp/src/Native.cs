// Native.cs: the C API of include/ftp.h, one to one. Strings in are
// NUL-terminated UTF-8 byte arrays (null = NULL); strings out are IntPtr
// (see Utf8.FromPtr). SafeHandle parameters keep the native object alive
// for the length of each call.

using System;
using System.Runtime.InteropServices;

namespace LibFtp
{
    /// <summary>The C API, one to one. Strings in are NUL-terminated UTF-8
    /// byte arrays (null = NULL); strings out are IntPtr (see Utf8.FromPtr).</summary>
    internal static partial class Native
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

        // Cancellation, features, parsed listings, metadata (issues 7, 8)
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_session_cancel(FtpSessionHandle s);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_has_feature(FtpSessionHandle s, byte[] name, [MarshalAs(UnmanagedType.I1)] out bool has, out IntPtr paramsOut);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_list(FtpSessionHandle s, byte[] path, EntryCallback cb, IntPtr userdata);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_stat(FtpSessionHandle s, byte[] path, out IntPtr entry);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_mdtm(FtpSessionHandle s, byte[] path, out long mtime);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_mtime(FtpSessionHandle s, byte[] path, long mtime);
        [DllImport(Lib, CallingConvention = CC)] public static extern IntPtr ftp_tls_config_last_error(TlsConfigHandle c);

        // Whole files, progress, keepalive, retries (issue 9)
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_progress_callback(FtpSessionHandle s, ProgressCallback cb, IntPtr userdata, uint intervalMs);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_download_file(FtpSessionHandle s, byte[] remote, byte[] localPath, uint flags);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_upload_file(FtpSessionHandle s, byte[] localPath, byte[] remote, uint flags);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_checksum(FtpSessionHandle s, byte[] path, byte[] algo, out IntPtr hexOut);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_makedirs(FtpSessionHandle s, byte[] path);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_remove_tree(FtpSessionHandle s, byte[] path);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_keepalive(FtpSessionHandle s, uint intervalMs);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_retry(FtpSessionHandle s, uint attempts, uint backoffMs);

        // Pools (issue 10)
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpPoolHandle ftp_pool_new(byte[] url, TlsConfigHandle tls, uint maxSessions);
        [DllImport(Lib, CallingConvention = CC, EntryPoint = "ftp_pool_new")] public static extern FtpPoolHandle ftp_pool_new_default_tls(byte[] url, IntPtr tlsNull, uint maxSessions);
        [DllImport(Lib, CallingConvention = CC)] public static extern void ftp_pool_free(IntPtr p);
        [DllImport(Lib, CallingConvention = CC)] public static extern IntPtr ftp_pool_last_error(FtpPoolHandle p);
        [DllImport(Lib, CallingConvention = CC, EntryPoint = "ftp_pool_last_error")] public static extern IntPtr ftp_pool_new_error(IntPtr pNull);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_set_progress_callback(FtpPoolHandle p, ProgressCallback cb, IntPtr userdata, uint intervalMs);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_download_file(FtpPoolHandle p, byte[] remote, byte[] localPath, uint flags);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_upload_file(FtpPoolHandle p, byte[] localPath, byte[] remote, uint flags);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_download_segmented(FtpPoolHandle p, byte[] remote, byte[] localPath, uint segments, uint flags);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_cancel(FtpPoolHandle p);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_set_timeout_ms(FtpPoolHandle p, ulong ms);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_set_proxy(FtpPoolHandle p, byte[] proxyUrl);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_set_netrc(FtpPoolHandle p, byte[] path);
    }
}
