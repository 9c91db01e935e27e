// Callbacks.cs: the static delegates handed to libftp (alive for the
// program's life, fine for mono's full AOT) with a GCHandle to a per-call
// context as userdata. A managed exception never crosses the native frames:
// Guard keeps it in the context and tells libftp to stop, and the caller
// rethrows it once the native call has returned.

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace LibFtp
{
    internal abstract class CallbackContext
    {
        public Exception Error;
    }

    internal sealed class SinkContext : CallbackContext
    {
        public Stream Destination;
        public byte[] Buffer = new byte[0];
    }

    internal sealed class SourceContext : CallbackContext
    {
        public Stream Source;
        public byte[] Buffer = new byte[0];
    }

    internal sealed class LineContext : CallbackContext
    {
        public Action<string> OnLine;
    }

    internal sealed class MlsdContext : CallbackContext
    {
        public List<FtpListEntry> Entries = new List<FtpListEntry>();
    }

    internal sealed class EntryContext : CallbackContext
    {
        public string Directory;
        public List<FtpListItem> Items = new List<FtpListItem>();
    }

    internal sealed class ProgressContext : CallbackContext
    {
        public IProgress<FtpProgress> Progress;
    }

    internal static class Callbacks
    {
        public static readonly DataCallback Sink = SinkImpl;
        public static readonly ReadCallback Source = SourceImpl;
        public static readonly LineCallback Line = LineImpl;
        public static readonly MlsdCallback Mlsd = MlsdImpl;
        public static readonly EntryCallback Entry = EntryImpl;
        public static readonly ProgressCallback Progress = ProgressImpl;
        static readonly int FactSize = Marshal.SizeOf(typeof(FtpFactNative));

        /// <summary>Runs body on the call's context; an exception is kept in the
        /// context and `stop` returned to libftp.</summary>
        static TResult Guard<T, TResult>(IntPtr userdata, Func<T, TResult> body, TResult stop) where T : CallbackContext
        {
            T c = null;
            try
            {
                c = (T)GCHandle.FromIntPtr(userdata).Target;
                return body(c);
            }
            catch (Exception e)
            {
                if (c != null) c.Error = e;
                return stop;
            }
        }

        /// <summary>A native ftp_progress as an FtpProgress.</summary>
        public static FtpProgress ReadProgress(IntPtr p)
        {
            var n = (FtpProgressNative)Marshal.PtrToStructure(p, typeof(FtpProgressNative));
            return new FtpProgress(Utf8.FromPtr(n.Path), (long)n.Bytes, (long)n.Offset, n.Total,
                                   TimeSpan.FromSeconds(n.ElapsedSeconds));
        }

        [MonoPInvokeCallback(typeof(DataCallback))]
        static int SinkImpl(IntPtr userdata, IntPtr data, UIntPtr len)
        {
            return Guard<SinkContext, int>(userdata, c =>
            {
                int n = checked((int)len.ToUInt64());
                if (c.Buffer.Length < n) c.Buffer = new byte[n];
                if (n > 0) Marshal.Copy(data, c.Buffer, 0, n);
                c.Destination.Write(c.Buffer, 0, n);
                return 0;
            }, 1);
        }

        [MonoPInvokeCallback(typeof(ReadCallback))]
        static long SourceImpl(IntPtr userdata, IntPtr buf, UIntPtr cap)
        {
            return Guard<SourceContext, long>(userdata, c =>
            {
                int want = (int)Math.Min(cap.ToUInt64(), (ulong)int.MaxValue);
                if (c.Buffer.Length < want) c.Buffer = new byte[want];
                int n = c.Source.Read(c.Buffer, 0, want);
                if (n > 0) Marshal.Copy(c.Buffer, 0, buf, n);
                return n;
            }, -1L);
        }

        [MonoPInvokeCallback(typeof(LineCallback))]
        static int LineImpl(IntPtr userdata, IntPtr line, UIntPtr len)
        {
            return Guard<LineContext, int>(userdata, c =>
            {
                c.OnLine(Utf8.FromPtr(line, checked((int)len.ToUInt64())));
                return 0;
            }, 1);
        }

        [MonoPInvokeCallback(typeof(MlsdCallback))]
        static int MlsdImpl(IntPtr userdata, IntPtr name, IntPtr facts, UIntPtr nfacts)
        {
            return Guard<MlsdContext, int>(userdata, c =>
            {
                int n = checked((int)nfacts.ToUInt64());
                var dict = new Dictionary<string, string>(n, StringComparer.Ordinal);
                for (int i = 0; i < n; i++)
                {
                    var f = (FtpFactNative)Marshal.PtrToStructure(
                        new IntPtr(facts.ToInt64() + (long)i * FactSize), typeof(FtpFactNative));
                    dict[Utf8.FromPtr(f.Name) ?? ""] = Utf8.FromPtr(f.Value) ?? "";
                }
                c.Entries.Add(new FtpListEntry(Utf8.FromPtr(name) ?? "", dict));
                return 0;
            }, 1);
        }

        [MonoPInvokeCallback(typeof(EntryCallback))]
        static int EntryImpl(IntPtr userdata, IntPtr entry)
        {
            return Guard<EntryContext, int>(userdata, c =>
            {
                c.Items.Add(FtpListItem.FromNative(entry, c.Directory));
                return 0;
            }, 1);
        }

        [MonoPInvokeCallback(typeof(ProgressCallback))]
        static int ProgressImpl(IntPtr userdata, IntPtr progress)
        {
            return Guard<ProgressContext, int>(userdata, c =>
            {
                c.Progress.Report(ReadProgress(progress));
                return 0;
            }, 1);
        }
    }
}
