// SessionGate.cs: one call at a time on a session, and cancellation.
//
// Calls queue on a SemaphoreSlim: sync calls wait on it, async calls await
// it (no thread is blocked while an async call waits its turn), and the
// native work of an async call runs on a thread of its own
// (TaskCreationOptions.LongRunning), not on a thread-pool thread.
// A CancellationToken (or FtpClient.Cancel, or Dispose from another thread)
// maps onto ftp_session_cancel: called at once and then every 20 ms until
// the call returns, since libftp forgets a cancel that arrives between two
// of its calls.

using System;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    internal sealed class SessionGate
    {
        readonly SemaphoreSlim turn = new SemaphoreSlim(1, 1);
        readonly Action cancelNative;
        volatile Op current;
        volatile int ownerThread;   // the thread running the current call; 0 = none

        public SessionGate(Action cancelNative) { this.cancelNative = cancelNative; }

        /// <summary>One running call: its token and whether a cancel was asked.</summary>
        internal sealed class Op
        {
            readonly SessionGate gate;
            public readonly CancellationToken Token;
            volatile bool cancelRequested, done;
            Timer repeat;

            public Op(SessionGate gate, CancellationToken token) { this.gate = gate; Token = token; }

            public bool CancelRequested { get { return cancelRequested; } }

            public void RequestCancel()
            {
                if (done) return;
                cancelRequested = true;
                gate.SafeCancelNative();
                lock (this)
                    if (repeat == null && !done)
                        repeat = new Timer(_ => { if (!done) gate.SafeCancelNative(); }, null, 20, 20);
            }

            public void End()
            {
                done = true;
                lock (this)
                    if (repeat != null) repeat.Dispose();
            }
        }

        void SafeCancelNative()
        {
            try { cancelNative(); }
            catch (ObjectDisposedException) { }   // the session is already freed: nothing runs
        }

        /// <summary>The running call, or null.</summary>
        public Op Current { get { return current; } }

        /// <summary>Whether the calling thread is inside this session's call
        /// (a callback, a progress handler).</summary>
        public bool OnOwnerThread { get { return ownerThread == Thread.CurrentThread.ManagedThreadId; } }

        /// <summary>Cancels the running call, if any (any thread, never blocks).
        /// With none, libftp is still told once: that stops a read or write of
        /// an open transfer stream, which runs outside the gate.</summary>
        public void Cancel()
        {
            Op op = current;
            if (op != null) op.RequestCancel();
            else SafeCancelNative();
        }

        static Exception Cancelled(CancellationToken ct)
        {
            return new FtpCancelledException("cancelled before the call started", 0, "", ct);
        }

        void CheckReentry()
        {
            if (OnOwnerThread)
                throw new FtpStateException("a call on this client from inside one of its own callbacks", 0, "");
        }

        /// <summary>Runs body as this session's one call, on the calling thread.</summary>
        public T Run<T>(CancellationToken ct, Func<T> body)
        {
            CheckReentry();
            try { turn.Wait(ct); }
            catch (OperationCanceledException) { throw Cancelled(ct); }
            try { return Execute(ct, body); }
            finally { turn.Release(); }
        }

        /// <summary>Runs body as this session's one call, on a thread of its own,
        /// after awaiting its turn.</summary>
        public async Task<T> RunAsync<T>(CancellationToken ct, Func<T> body)
        {
            CheckReentry();
            try { await turn.WaitAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { throw Cancelled(ct); }
            try
            {
                return await Task.Factory.StartNew(() => Execute(ct, body), CancellationToken.None,
                                                   TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            }
            finally { turn.Release(); }
        }

        T Execute<T>(CancellationToken ct, Func<T> body)
        {
            if (ct.IsCancellationRequested) throw Cancelled(ct);
            var op = new Op(this, ct);
            current = op;
            ownerThread = Thread.CurrentThread.ManagedThreadId;
            try
            {
                using (ct.Register(op.RequestCancel))
                    return body();
            }
            finally
            {
                ownerThread = 0;
                current = null;
                op.End();
            }
        }

        /// <summary>Takes the turn for Dispose: at once if free, else after cancelling
        /// the running call, waiting at most `bound`. False when it did not come.</summary>
        public bool TryTakeForDispose(TimeSpan bound)
        {
            if (turn.Wait(0)) return true;
            Cancel();
            return turn.Wait(bound);
        }

        /// <summary>TryTakeForDispose without blocking a thread.</summary>
        public async Task<bool> TryTakeForDisposeAsync(TimeSpan bound)
        {
            if (turn.Wait(0)) return true;
            Cancel();
            return await turn.WaitAsync(bound).ConfigureAwait(false);
        }

        public void Release() { turn.Release(); }
    }
}
