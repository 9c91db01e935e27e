// PoolCalls.cs: the calls running on one FtpPool, so that the pool's one
// progress callback (which libftp runs on whichever thread moves the data)
// reaches the right call's IProgress and CancellationToken.

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

namespace LibFtp
{
    internal sealed class PoolCall
    {
        public PoolCalls Owner;
        public CancellationToken Token;
        public IProgress<FtpProgress> Progress;
        /// <summary>Reports for this path (or below it, for a directory) made on
        /// other threads than the caller's belong to this call.</summary>
        public string RemotePath;
        public bool IsDirectory;
        public volatile Exception Error;
        /// <summary>Why FtpPool.Cancel or Dispose stopped the call (null: they did not).</summary>
        public volatile string Stopped;

        public bool Matches(string path)
        {
            if (IsDirectory)
                return RemotePath.Length == 0 || path == RemotePath || path.StartsWith(RemotePath.TrimEnd('/') + "/", StringComparison.Ordinal);
            return path == RemotePath;
        }

        public bool ShouldStop { get { return Stopped != null || Token.IsCancellationRequested; } }

        /// <summary>The exception of a call stopped for itself (ShouldStop).</summary>
        public FtpCancelledException Cancelled()
        {
            string why = Stopped;
            return new FtpCancelledException(why ?? "cancelled", 0, "", Token);
        }
    }

    internal sealed class PoolCalls
    {
        [ThreadStatic] static PoolCall onThisThread;
        readonly List<PoolCall> active = new List<PoolCall>();
        volatile bool closing;

        public static readonly ProgressCallback Callback = OnProgress;

        public PoolCall Begin(CancellationToken ct, IProgress<FtpProgress> progress, string remotePath, bool isDirectory)
        {
            var c = new PoolCall { Owner = this, Token = ct, Progress = progress, RemotePath = remotePath ?? "",
                                   IsDirectory = isDirectory, Stopped = closing ? Disposed : null };
            lock (active) active.Add(c);
            onThisThread = c;
            return c;
        }

        public void End(PoolCall c)
        {
            onThisThread = null;
            lock (active) active.Remove(c);
        }

        public const string Disposed = "the pool was disposed";

        /// <summary>Marks every running call stopped for `why` (FtpPool.Cancel,
        /// Dispose): it stops at its next report and does not start over.</summary>
        public void StopAll(string why)
        {
            if (why == Disposed) closing = true;
            lock (active)
                foreach (var c in active) c.Stopped = why;
        }

        PoolCall Find(string path)
        {
            PoolCall mine = onThisThread;
            if (mine != null && mine.Owner == this) return mine;
            lock (active)
                foreach (var c in active)
                    if (c.Matches(path)) return c;
            return null;
        }

        [MonoPInvokeCallback(typeof(ProgressCallback))]
        static int OnProgress(IntPtr userdata, IntPtr progress)
        {
            PoolCall call = null;
            try
            {
                var calls = (PoolCalls)GCHandle.FromIntPtr(userdata).Target;
                FtpProgress p = Callbacks.ReadProgress(progress);
                call = calls.Find(p.RemotePath);
                if (call == null) return calls.closing ? 1 : 0;
                if (call.ShouldStop) return 1;
                if (call.Progress != null) call.Progress.Report(p);
                return call.ShouldStop ? 1 : 0;   // a handler may have cancelled

            }
            catch (Exception e)
            {
                if (call != null && call.Error == null) call.Error = e;
                return 1;
            }
        }
    }
}
