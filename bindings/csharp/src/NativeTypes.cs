// NativeTypes.cs: the callback signatures and structs of include/ftp.h.

using System;
using System.Runtime.InteropServices;

namespace LibFtp
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int DataCallback(IntPtr userdata, IntPtr data, UIntPtr len);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate long ReadCallback(IntPtr userdata, IntPtr buf, UIntPtr cap);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int LineCallback(IntPtr userdata, IntPtr line, UIntPtr len);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int MlsdCallback(IntPtr userdata, IntPtr name, IntPtr facts, UIntPtr nfacts);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void DebugCallback(IntPtr userdata, IntPtr line);

    /// <summary>struct ftp_fact { const char *name; const char *value; }</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FtpFactNative
    {
        public IntPtr Name;
        public IntPtr Value;
    }

    /// <summary>Marks the static callbacks for mono's full-AOT (Xamarin.iOS);
    /// mono matches the attribute by name.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    internal sealed class MonoPInvokeCallbackAttribute : Attribute
    {
        public MonoPInvokeCallbackAttribute(Type t) { }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int EntryCallback(IntPtr userdata, IntPtr entry);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int ProgressCallback(IntPtr userdata, IntPtr progress);

    /// <summary>struct ftp_entry (C layout, natural alignment).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FtpEntryNative
    {
        public IntPtr Name;
        public int Type;
        public long Size;
        public long Mtime;
        public IntPtr LinkTarget;
        public IntPtr UnixMode;
        public IntPtr Raw;
        public IntPtr Format;
        public UIntPtr RawLen;
        public byte MtimeUtc;          // C bool
        public int MtimePrecision;
        public IntPtr Owner;
        public IntPtr Group;
    }

    /// <summary>struct ftp_progress.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct FtpProgressNative
    {
        public IntPtr Path;
        public ulong Bytes;
        public ulong Offset;
        public long Total;
        public double ElapsedSeconds;
    }
}
