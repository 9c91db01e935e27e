// NativeNext.cs: C functions of the contract (shared/spec/C-API.md, issues
// 10 and 11) that libftp does not export yet. Compiled only with
// -define:LIBFTP_NEXT (run-tests.sh defines it when libftp.so exports them
// all); the default build neither declares nor calls them.

#if LIBFTP_NEXT
using System;
using System.Runtime.InteropServices;

namespace LibFtp
{
    /// <summary>struct ftp_mirror_report.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FtpMirrorReportNative
    {
        public ulong FilesCopied, FilesSkipped, FilesDeleted, FilesFailed, Bytes;
    }

    internal static partial class Native
    {
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_connect_url(FtpSessionHandle s, byte[] url, TlsConfigHandle tls);
        [DllImport(Lib, CallingConvention = CC, EntryPoint = "ftp_connect_url")] public static extern FtpResult ftp_connect_url_default_tls(FtpSessionHandle s, byte[] url, IntPtr tlsNull);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_netrc(FtpSessionHandle s, byte[] path);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_set_proxy(FtpSessionHandle s, byte[] proxyUrl);
        [DllImport(Lib, CallingConvention = CC)] public static extern FtpResult ftp_pool_mirror(FtpPoolHandle p, int direction, byte[] remoteDir, byte[] localDir, uint flags, out FtpMirrorReportNative report);
    }
}
#endif
