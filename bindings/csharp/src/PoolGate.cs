// PoolGate.cs: an FtpPool's cancels over ftp_pool_cancel, which stops every
// call running on the pool, not one. The gate counts the calls inside
// libftp; a cancel (a call's token, FtpPool.Cancel, Dispose) makes it
// drain: ftp_pool_cancel now and every 20 ms (a cancel racing with a
// call's start may find it not yet running) until every call inside has
// returned, while new calls wait at the gate (libftp would refuse them
// until then). A call stopped by a cancel that was not for it starts over
// (FtpPool.Run).

using System;
using System.Threading;

namespace LibFtp
{
    internal sealed class PoolGate
    {
        const int RepeatMs = 20;
        readonly object gate = new object();
        readonly FtpPoolHandle pool;
        readonly ManualResetEventSlim drained = new ManualResetEventSlim(true);
        int inside;
        Timer repeat;   // non-null while a cancel drains

        public PoolGate(FtpPoolHandle pool) { this.pool = pool; }

        /// <summary>Waits until no cancel drains, then counts the call in.
        /// Throws FtpCancelledException when the call is stopped (its token,
        /// Cancel, Dispose) meanwhile.</summary>
        public void Enter(PoolCall c)
        {
            for (;;)
            {
                lock (gate)
                {
                    if (repeat == null)
                    {
                        inside++;
                        return;
                    }
                }
                if (c.ShouldStop) throw c.Cancelled();
                try { drained.Wait(RepeatMs, c.Token); }
                catch (OperationCanceledException) { throw c.Cancelled(); }
            }
        }

        /// <summary>Counts a call out; the last one out ends a drain.</summary>
        public void Leave()
        {
            lock (gate)
            {
                inside--;
                if (inside == 0 && repeat != null)
                {
                    repeat.Dispose();
                    repeat = null;
                    drained.Set();
                }
            }
        }

        /// <summary>Stops the calls inside libftp (none: nothing to do).</summary>
        public void Cancel()
        {
            lock (gate)
            {
                if (inside == 0) return;
                if (repeat == null)
                {
                    drained.Reset();
                    repeat = new Timer(_ => Repeat(), null, RepeatMs, RepeatMs);
                }
                NativeCancel();
            }
        }

        void Repeat()
        {
            lock (gate)
                if (repeat != null) NativeCancel();
        }

        void NativeCancel()
        {
            try { Native.ftp_pool_cancel(pool); }
            catch (ObjectDisposedException) { }   // freed: no call runs any more
        }
    }
}
