// Handles.cs: the native objects as SafeHandles (freed exactly once, by
// Dispose or the finalizer, and never while a native call uses them), and
// the counters of live handles that the tests check for leaks.

using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibFtp
{
    /// <summary>Counts the native handles alive, for leak checks.</summary>
    public static class FtpHandleStats
    {
        internal static int sessions, tlsConfigs, transfers, pools;
        public static int Sessions { get { return Volatile.Read(ref sessions); } }
        public static int TlsConfigs { get { return Volatile.Read(ref tlsConfigs); } }
        public static int Transfers { get { return Volatile.Read(ref transfers); } }
        public static int Pools { get { return Volatile.Read(ref pools); } }
        public static int Total { get { return Sessions + TlsConfigs + Transfers + Pools; } }
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

    /// <summary>An ftp_pool*; releasing it calls ftp_pool_free (deferred
    /// by the SafeHandle until no pool call runs).</summary>
    public sealed class FtpPoolHandle : SafeHandle
    {
        public FtpPoolHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        internal void Track() { if (!IsInvalid) Interlocked.Increment(ref FtpHandleStats.pools); }

        /// <summary>The progress callback's userdata: freed after the pool, since
        /// a pool call still running may report until then.</summary>
        internal GCHandle Userdata;

        protected override bool ReleaseHandle()
        {
            Native.ftp_pool_free(handle);
            if (Userdata.IsAllocated) Userdata.Free();
            Interlocked.Decrement(ref FtpHandleStats.pools);
            return true;
        }
    }
}
