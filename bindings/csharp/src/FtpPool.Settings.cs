// FtpPool.Settings.cs: the settings of a pool's sessions: Timeout, Proxy,
// NetrcPath (ftp_pool_set_timeout_ms, ftp_pool_set_proxy,
// ftp_pool_set_netrc).

using System;

namespace LibFtp
{
    public sealed partial class FtpPool
    {
        ulong timeoutMs = 30000;
        string proxy, netrc = "";

        void Set(Func<FtpResult> set)
        {
            if (pool.IsClosed) throw new ObjectDisposedException("FtpPool");
            FtpResult r = set();
            if (r != FtpResult.Ok) throw FtpException.Create(r, LastError(), 0, "");
        }

        /// <summary>A string setting (null passed as NULL); returns value once set.</summary>
        string Set(string value, string name, Func<FtpPoolHandle, byte[], FtpResult> set)
        {
            byte[] v = FtpClient.OptionalArg(value, name);
            Set(() => set(pool, v));
            return value;
        }

        /// <summary>Each session's timeout (connect, every reply wait, each data
        /// read or write) and the longest a call waits for a free session
        /// (then FtpTimeoutException): 30 s unless set. TimeSpan.Zero or
        /// Timeout.InfiniteTimeSpan: no limit. Sessions already open keep the
        /// timeout they had.</summary>
        public TimeSpan Timeout
        {
            get { return timeoutMs == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(timeoutMs); }
            set
            {
                ulong ms = FtpClient.Millis(value, "Timeout");
                Set(() => Native.ftp_pool_set_timeout_ms(pool, ms));
                timeoutMs = ms;
            }
        }

        /// <summary>A proxy for every session's control and data connections:
        /// "socks5://[user:pass@]host:port", "socks5h://..." or
        /// "http://[user:pass@]host:port" (CONNECT); null: none (the default).
        /// Idle sessions are closed at once and busy ones when they come back,
        /// so every later call goes the new way. A malformed URL throws
        /// FtpInvalidArgumentException and changes nothing.</summary>
        public string Proxy
        {
            get { return proxy; }
            set { proxy = Set(value, "Proxy", Native.ftp_pool_set_proxy); }
        }

        /// <summary>The netrc file giving the credentials of a pool URL without
        /// a password: "" none (the default), null $NETRC, else ~/.netrc.
        /// Applies to sessions opened afterwards: set it before the first
        /// call.</summary>
        public string NetrcPath
        {
            get { return netrc; }
            set { netrc = Set(value, "NetrcPath", Native.ftp_pool_set_netrc); }
        }
    }
}
