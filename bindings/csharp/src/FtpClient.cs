// FtpClient.cs: the session object, its life (creation, Cancel, Dispose)
// and the plumbing every call goes through. The calls themselves are in
// the other FtpClient.*.cs files (a partial class, one idea per file).

using System;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    /// <summary>An FTP or FTPS session (Python ftplib's FTP / FTP_TLS, with
    /// parsed listings, whole-file transfers and async calls on top).
    ///
    /// Threads: calls are serialised (one runs at a time; the others wait
    /// their turn, async ones without blocking a thread). Cancel, Dispose
    /// and DisposeAsync may come from any thread at any time: they stop the
    /// running call within about 100 ms.</summary>
    public sealed partial class FtpClient : IDisposable, IAsyncDisposable
    {
        /// <summary>The timeout a new client starts with (Timeout).</summary>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

        /// <summary>How long Dispose waits for a running call to stop, and for QUIT's reply.</summary>
        static readonly TimeSpan DisposeBound = TimeSpan.FromSeconds(2);

        readonly FtpSessionHandle session;
        readonly SessionGate gate;
        int disposed;

        /// <summary>A plain FTP session, not connected (ftp_session_new).</summary>
        public FtpClient() : this(Native.ftp_session_new(), false) { }

        FtpClient(FtpSessionHandle h, bool tls)
        {
            if (h == null || h.IsInvalid) throw new OutOfMemoryException("libftp could not create a session");
            h.Track();
            session = h;
            IsTls = tls;
            gate = new SessionGate(() => Native.ftp_session_cancel(session));
            try { Timeout = DefaultTimeout; }
            catch { h.Dispose(); throw; }
        }

        /// <summary>An FTPS session (ftp_session_new_tls) built from the options.
        /// Login secures the control connection (AUTH TLS, unless implicit) and
        /// protects the data connections (PBSZ 0 + PROT P).</summary>
        public static FtpClient CreateTls(FtpTlsOptions options = null)
        {
            if (options == null) options = new FtpTlsOptions();
            using (TlsConfigHandle config = TlsConfigHandle.Create(options))
            {
                FtpClient c = CreateTls(config);
                if (options.Implicit)
                {
                    try { c.Run(() => c.Call(Native.ftp_set_implicit_tls(c.session, true))); }
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

        // -- running calls -----------------------------------------------------

        /// <summary>Stops the running call, if any (ftp_session_cancel): it throws
        /// FtpCancelledException within about 100 ms, and the session is then in
        /// step with the server or closed (LastReply / the exception say which).
        /// Any thread, never blocks; a Cancel while nothing runs does nothing.</summary>
        public void Cancel() { gate.Cancel(); }

        void CheckDisposed()
        {
            if (Volatile.Read(ref disposed) != 0) throw new ObjectDisposedException("FtpClient");
        }

        T Run<T>(Func<T> body, CancellationToken ct = default(CancellationToken), IProgress<FtpProgress> progress = null)
        {
            CheckDisposed();
            return gate.Run(ct, () => { CheckDisposed(); return WithProgress(progress, body); });
        }

        void Run(Action body, CancellationToken ct = default(CancellationToken), IProgress<FtpProgress> progress = null)
        {
            Run(() => { body(); return true; }, ct, progress);
        }

        Task<T> RunAsync<T>(Func<T> body, CancellationToken ct, IProgress<FtpProgress> progress = null)
        {
            CheckDisposed();
            return gate.RunAsync(ct, () => { CheckDisposed(); return WithProgress(progress, body); });
        }

        Task RunAsync(Action body, CancellationToken ct, IProgress<FtpProgress> progress = null)
        {
            return RunAsync(() => { body(); return true; }, ct, progress);
        }

        /// <summary>Reports the transfers of body to progress (ftp_set_progress_callback
        /// for the length of the call); an exception thrown by progress stops the
        /// transfer and is rethrown.</summary>
        T WithProgress<T>(IProgress<FtpProgress> progress, Func<T> body)
        {
            if (progress == null) return body();
            var ctx = new ProgressContext { Progress = progress };
            GCHandle gch = GCHandle.Alloc(ctx);
            try
            {
                Call(Native.ftp_set_progress_callback(session, Callbacks.Progress, GCHandle.ToIntPtr(gch),
                                                      (uint)progressIntervalMs));
                try
                {
                    return body();
                }
                catch (FtpCallbackException) when (ctx.Error != null)
                {
                    ExceptionDispatchInfo.Capture(ctx.Error).Throw();
                    throw;
                }
                finally
                {
                    // Dispose may have freed the session after a cancel that took
                    // longer than it waits: nothing is left to reset then.
                    try { Native.ftp_set_progress_callback(session, null, IntPtr.Zero, 0); }
                    catch (ObjectDisposedException) { }
                }
            }
            finally
            {
                gch.Free();
            }
        }

        // -- errors ------------------------------------------------------------

        void Call(FtpResult r)
        {
            if (r != FtpResult.Ok) throw LastException(r);
        }

        Exception LastException(FtpResult r)
        {
            SessionGate.Op op = gate.Current;
            return FtpException.Create(r, Utf8.FromPtr(Native.ftp_last_error(session)),
                                       Native.ftp_last_code(session),
                                       Utf8.FromPtr(Native.ftp_last_response(session)),
                                       op != null ? op.Token : default(CancellationToken));
        }

        /// <summary>Between two native calls of one operation: a cancel asked
        /// meanwhile stops it here (libftp would forget it).</summary>
        void CheckCancelled()
        {
            SessionGate.Op op = gate.Current;
            if (op != null && op.CancelRequested)
                throw new FtpCancelledException("cancelled", 0, "", op.Token);
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

        internal static byte[] Arg(string s, string name)
        {
            if (s == null) throw new ArgumentNullException(name);
            if (s.IndexOf('\0') >= 0)
                throw new FtpInvalidArgumentException(name + " may not contain NUL", 0, "");
            return Utf8.Z(s);
        }

        internal static byte[] OptionalArg(string s, string name) { return s == null ? null : Arg(s, name); }

        // -- life --------------------------------------------------------------

        /// <summary>Ends the session and frees it; never throws. A call running
        /// on another thread is cancelled first (waited for at most 2 s), then,
        /// when connected, QUIT is sent and its reply awaited for at most 2 s.
        /// Afterwards every call throws ObjectDisposedException.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            if (!gate.OnOwnerThread && gate.TryTakeForDispose(DisposeBound))
            {
                try { QuitQuietly(); }
                finally { gate.Release(); }
            }
            FreeNative();
        }

        /// <summary>Dispose without blocking a thread while a running call stops;
        /// QUIT runs on a thread of its own. Never throws.</summary>
        public ValueTask DisposeAsync()
        {
            return new ValueTask(DisposeCoreAsync());
        }

        async Task DisposeCoreAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0) return;
            try
            {
                if (!gate.OnOwnerThread && await gate.TryTakeForDisposeAsync(DisposeBound).ConfigureAwait(false))
                {
                    try
                    {
                        await Task.Factory.StartNew(QuitQuietly, CancellationToken.None,
                                                    TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
                    }
                    finally { gate.Release(); }
                }
            }
            finally
            {
                FreeNative();
            }
        }

        void QuitQuietly()
        {
            try
            {
                // A bounded goodbye: QUIT (and any reply still owed) within 2 s.
                ulong ms = (ulong)DisposeBound.TotalMilliseconds;
                if (timeoutMs != 0 && timeoutMs < ms) ms = timeoutMs;
                Native.ftp_set_timeout_ms(session, ms);
                Native.ftp_quit(session);
            }
            catch
            {
                // Dispose never throws.
            }
        }

        void FreeNative()
        {
            session.Dispose();   // freed now, or when a native call still running returns
            ReleaseDebugHandler();
        }
    }
}
