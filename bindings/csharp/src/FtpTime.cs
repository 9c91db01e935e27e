// FtpTime.cs: times across the boundary (Unix seconds) and in MLSD facts.

using System;
using System.Globalization;

namespace LibFtp
{
    internal static class FtpTime
    {
        /// <summary>FTP_TIME_UNKNOWN.</summary>
        public const long Unknown = long.MinValue;

        static readonly DateTime Epoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        static readonly long MinSeconds = (long)(DateTime.MinValue - Epoch).TotalSeconds;
        static readonly long MaxSeconds = (long)(DateTime.MaxValue - Epoch).TotalSeconds;

        /// <summary>Unix seconds as a DateTime of the given kind; null for unknown
        /// or out of DateTime's range.</summary>
        public static DateTime? FromUnix(long seconds, DateTimeKind kind)
        {
            if (seconds == Unknown || seconds < MinSeconds || seconds > MaxSeconds) return null;
            return DateTime.SpecifyKind(Epoch.AddSeconds(seconds), kind);
        }

        /// <summary>A DateTime as Unix seconds (Local is converted, Unspecified is taken as UTC).</summary>
        public static long ToUnix(DateTime t)
        {
            if (t.Kind == DateTimeKind.Local) t = t.ToUniversalTime();
            return (long)Math.Floor((DateTime.SpecifyKind(t, DateTimeKind.Utc) - Epoch).TotalSeconds);
        }

        /// <summary>An MLSD time fact (YYYYMMDDHHMMSS[.sss], UTC); null if malformed.</summary>
        public static DateTime? ParseMlsd(string v)
        {
            if (v == null || v.Length < 14) return null;
            DateTime t;
            if (!DateTime.TryParseExact(v.Substring(0, 14), "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
                                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out t))
                return null;
            if (v.Length > 15 && v[14] == '.')
            {
                double frac;
                if (!double.TryParse("0" + v.Substring(14), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out frac))
                    return null;
                t = t.AddTicks((long)(frac * TimeSpan.TicksPerSecond));
            }
            return DateTime.SpecifyKind(t, DateTimeKind.Utc);
        }
    }
}
