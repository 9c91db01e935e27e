// TlsConfig.cs: FTPS options and the ftp_tls_config built from them.

using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibFtp
{
    /// <summary>Options of an FTPS session (ftp_tls_config + implicit TLS).
    /// On an FTPS session Login also protects the data connections (PBSZ 0 +
    /// PROT P): file data never goes in clear unless ProtC is called.</summary>
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

        internal FtpTlsOptions Copy() { return (FtpTlsOptions)MemberwiseClone(); }
    }

    /// <summary>An ftp_tls_config*; releasing it calls ftp_tls_config_free.
    /// Sessions and pools copy the configuration when they are created, so
    /// it may be disposed as soon as they exist, or shared by many.</summary>
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
                    h.Check(Native.ftp_tls_config_set_ca_file(h, Utf8.Z(options.CaFile)), "CA file", options.CaFile);
                if (options.CaPath != null)
                    h.Check(Native.ftp_tls_config_set_ca_path(h, Utf8.Z(options.CaPath)), "CA path", options.CaPath);
                h.Check(Native.ftp_tls_config_set_verify_peer(h, options.VerifyPeer), "verify peer", null);
                h.Check(Native.ftp_tls_config_set_check_hostname(h, options.CheckHostname), "check hostname", null);
                if (options.ClientCertFile != null || options.ClientKeyFile != null)
                    h.Check(Native.ftp_tls_config_set_client_cert(h, Utf8.Z(options.ClientCertFile), Utf8.Z(options.ClientKeyFile)),
                            "client certificate", options.ClientCertFile);
                if (options.MinVersion.HasValue)
                    h.Check(Native.ftp_tls_config_set_min_version(h, (int)options.MinVersion.Value), "minimum TLS version", null);
                if (options.MaxVersion.HasValue)
                    h.Check(Native.ftp_tls_config_set_max_version(h, (int)options.MaxVersion.Value), "maximum TLS version", null);
            }
            catch
            {
                h.Dispose();
                throw;
            }
            return h;
        }

        void Check(FtpResult r, string what, string arg)
        {
            if (r == FtpResult.Ok) return;
            string why = Utf8.FromPtr(Native.ftp_tls_config_last_error(this));
            string msg = "cannot set the TLS " + what + (arg != null ? " (" + arg + ")" : "") + ": " +
                         (string.IsNullOrEmpty(why) ? Utf8.FromPtr(Native.ftp_result_name(r)) : why);
            throw FtpException.Create(r, msg, 0, "");
        }
    }
}
