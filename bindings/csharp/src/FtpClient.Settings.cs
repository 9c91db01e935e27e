// FtpClient.Settings.cs: the session settings as properties. libftp has
// setters only, so each property keeps the value it last set. A setter
// waits for the running call (if any) like every call.

using System;
using System.Threading;

namespace LibFtp
{
    public sealed partial class FtpClient
    {
        ulong timeoutMs;
        string encoding = "utf-8", sourceAddress;
        int sourcePort;
        bool passive = true, trustPasv;
        TimeSpan keepalive = TimeSpan.Zero, retryBackoff = TimeSpan.FromSeconds(1);
        int retryAttempts;
        int debugLevel;
        Action<string> debugHandler;
        DebugCallback debugCallback;   // kept alive while the session may call it

        /// <summary>Milliseconds for libftp (rounded up); Zero and InfiniteTimeSpan
        /// give 0 (libftp's "none"); another negative span is refused.</summary>
        internal static ulong Millis(TimeSpan t, string name)
        {
            if (t == System.Threading.Timeout.InfiniteTimeSpan || t == TimeSpan.Zero) return 0;
            if (t < TimeSpan.Zero) throw new ArgumentOutOfRangeException(name);
            return (ulong)Math.Ceiling(t.TotalMilliseconds);
        }

        static uint Millis32(TimeSpan t, string name)
        {
            ulong ms = Millis(t, name);
            if (ms > uint.MaxValue) throw new ArgumentOutOfRangeException(name);
            return (uint)ms;
        }

        /// <summary>How long any wait (connect, reply, data) may take before it
        /// fails with FtpTimeoutException: 30 s unless set (DefaultTimeout).
        /// TimeSpan.Zero or Timeout.InfiniteTimeSpan: no limit (a stalled server
        /// then blocks the call until it is cancelled).</summary>
        public TimeSpan Timeout
        {
            get { return timeoutMs == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMs); }
            set
            {
                ulong ms = Millis(value, "Timeout");
                Run(() => Call(Native.ftp_set_timeout_ms(session, ms)));
                timeoutMs = ms;
            }
        }

        /// <summary>"utf-8" (default) or "latin-1": how names and listings are encoded.</summary>
        public string Encoding
        {
            get { return encoding; }
            set
            {
                byte[] e = Arg(value, "Encoding");
                Run(() => Call(Native.ftp_set_encoding(session, e)));
                encoding = value;
            }
        }

        /// <summary>Passive data connections (default true); false: active (PORT/EPRT).</summary>
        public bool Passive
        {
            get { return passive; }
            set { Run(() => Call(Native.ftp_set_pasv(session, value))); passive = value; }
        }

        /// <summary>Whether to trust the address in 227 replies (default false:
        /// the control connection's address is used).</summary>
        public bool TrustServerPasvAddress
        {
            get { return trustPasv; }
            set { Run(() => Call(Native.ftp_set_trust_server_pasv_ipv4_address(session, value))); trustPasv = value; }
        }

        /// <summary>The local address to connect from (null: any).</summary>
        public string SourceAddress
        {
            get { return sourceAddress; }
            set { SetSource(value, sourcePort); }
        }

        /// <summary>The local port to connect from (0: any).</summary>
        public int SourcePort
        {
            get { return sourcePort; }
            set { SetSource(sourceAddress, value); }
        }

        void SetSource(string host, int port)
        {
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException("SourcePort");
            byte[] h = OptionalArg(host, "SourceAddress");
            Run(() => Call(Native.ftp_set_source_address(session, h, (ushort)port)));
            sourceAddress = host;
            sourcePort = port;
        }

        /// <summary>Keeps connections alive during long transfers (NOOP on the
        /// control connection, TCP keepalive) at this interval; zero (default): off.</summary>
        public TimeSpan Keepalive
        {
            get { return keepalive; }
            set
            {
                uint ms = Millis32(value, "Keepalive");
                Run(() => Call(Native.ftp_set_keepalive(session, ms)));
                keepalive = value;
            }
        }

        /// <summary>How many times DownloadFile/UploadFile reconnect and resume
        /// after a transient failure (default 0: never).</summary>
        public int RetryAttempts
        {
            get { return retryAttempts; }
            set { SetRetry(value, retryBackoff); }
        }

        /// <summary>The wait before the first retry, doubled before each next one (default 1 s).</summary>
        public TimeSpan RetryBackoff
        {
            get { return retryBackoff; }
            set { SetRetry(retryAttempts, value); }
        }

        void SetRetry(int attempts, TimeSpan backoff)
        {
            if (attempts < 0) throw new ArgumentOutOfRangeException("RetryAttempts");
            uint ms = Millis32(backoff, "RetryBackoff");
            Run(() => Call(Native.ftp_set_retry(session, (uint)attempts, ms)));
            retryAttempts = attempts;
            retryBackoff = backoff;
        }

        /// <summary>At most how often an IProgress given to a call hears of it (default 100 ms;
        /// it also hears the start and the end).</summary>
        public TimeSpan ProgressInterval
        {
            get { return TimeSpan.FromMilliseconds(progressIntervalMs); }
            set { progressIntervalMs = Millis32(value, "ProgressInterval"); }
        }

        uint progressIntervalMs = 100;

        /// <summary>ftplib's debug levels 0-3 (1: commands and replies, passwords
        /// hidden; 2: also data; 3: also internals).</summary>
        public int DebugLevel
        {
            get { return debugLevel; }
            set { Run(() => Call(Native.ftp_set_debuglevel(session, value))); debugLevel = value; }
        }

        /// <summary>Where debug lines go (null: standard error). A handler that
        /// throws is ignored: debug output cannot stop a call.</summary>
        public Action<string> DebugHandler
        {
            get { return debugHandler; }
            set
            {
                Run(() =>
                {
                    if (value == null)
                    {
                        Call(Native.ftp_set_debug_callback(session, null, IntPtr.Zero));
                    }
                    else
                    {
                        if (debugCallback == null) debugCallback = OnDebug;
                        Call(Native.ftp_set_debug_callback(session, debugCallback, IntPtr.Zero));
                    }
                    debugHandler = value;
                });
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

        void ReleaseDebugHandler()
        {
            debugHandler = null;
            debugCallback = null;
        }

#if LIBFTP_NEXT
        string proxy, netrc;

        /// <summary>A proxy for control and data connections: "socks5://[user:pass@]host:port",
        /// "socks5h://..." (names resolved by the proxy) or "http://[user:pass@]host:port"
        /// (CONNECT); null: none. Passive mode only (ftp_set_proxy).</summary>
        public string Proxy
        {
            get { return proxy; }
            set
            {
                byte[] p = OptionalArg(value, "Proxy");
                Run(() => Call(Native.ftp_set_proxy(session, p)));
                proxy = value;
            }
        }

        /// <summary>The netrc file for logins without credentials (null: $NETRC, else ~/.netrc).</summary>
        public string NetrcPath
        {
            get { return netrc; }
            set
            {
                byte[] p = OptionalArg(value, "NetrcPath");
                Run(() => Call(Native.ftp_set_netrc(session, p)));
                netrc = value;
            }
        }
#endif
    }
}
