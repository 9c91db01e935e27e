// Utf8.cs: strings across the boundary, NUL-terminated UTF-8 both ways.

using System;
using System.Runtime.InteropServices;
using System.Text;

namespace LibFtp
{
    /// <summary>UTF-8 conversions at the boundary.</summary>
    internal static class Utf8
    {
        static readonly UTF8Encoding Enc = new UTF8Encoding(false, false);

        /// <summary>A NUL-terminated UTF-8 copy of s; null for null. A NUL
        /// inside s is kept, so the library sees a shorter string: commands
        /// are checked for it in FtpClient.</summary>
        public static byte[] Z(string s)
        {
            if (s == null) return null;
            int n = Enc.GetByteCount(s);
            byte[] b = new byte[n + 1];
            Enc.GetBytes(s, 0, s.Length, b, 0);
            return b;
        }

        /// <summary>Decodes a NUL-terminated UTF-8 string; null for NULL.</summary>
        public static string FromPtr(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            int len = 0;
            while (Marshal.ReadByte(p, len) != 0) len++;
            return FromPtr(p, len);
        }

        /// <summary>Decodes len bytes of UTF-8 (invalid bytes become U+FFFD).</summary>
        public static string FromPtr(IntPtr p, int len)
        {
            if (p == IntPtr.Zero || len <= 0) return "";
            byte[] b = new byte[len];
            Marshal.Copy(p, b, 0, len);
            return Enc.GetString(b);
        }
    }
}
