// FtpListItem.cs: one parsed directory entry (ftp_entry, from GetListing
// and GetObjectInfo), copied out of native memory.

using System;
using System.Runtime.InteropServices;

namespace LibFtp
{
    /// <summary>A directory entry parsed by libftp from MLSD/MLST, a LIST
    /// line (Unix, DOS/IIS, EPLF, VMS, NetWare) or a SIZE/MDTM/CWD probe.</summary>
    public sealed class FtpListItem
    {
        /// <summary>The base name; null when Type is Unknown.</summary>
        public string Name { get; private set; }
        /// <summary>The directory listed joined with Name ("dir/name"); Name alone
        /// when the current directory was listed.</summary>
        public string FullName { get; private set; }
        public FtpEntryType Type { get; private set; }
        /// <summary>Bytes; -1 when unknown.</summary>
        public long Size { get; private set; }
        /// <summary>The modification time, or null. Kind Utc when the server gave a
        /// UTC instant (MLSD, MLST, MDTM, EPLF); Kind Unspecified for LIST
        /// formats, which print the server's wall clock in a zone they do not
        /// name (vsftpd and pyftpdlib list in UTC).</summary>
        public DateTime? Modified { get; private set; }
        /// <summary>How finely Modified is known: 1 s, 1 min (recent `ls` dates),
        /// 1 day (older `ls` dates); zero when unknown.</summary>
        public TimeSpan ModifiedPrecision { get; private set; }
        /// <summary>A symbolic link's target when the listing gives it.</summary>
        public string LinkTarget { get; private set; }
        /// <summary>"rwxr-xr-x" from a Unix listing, or MLSD's unix.mode ("0644").</summary>
        public string UnixMode { get; private set; }
        public string Owner { get; private set; }
        public string Group { get; private set; }
        /// <summary>The listing line as received ("" for a probe).</summary>
        public string RawLine { get; private set; }
        /// <summary>The parser: "mlsd", "mlst", "unix", "dos", "eplf", "vms", "netware", "probe", "unknown".</summary>
        public string Format { get; private set; }

        public bool IsFile { get { return Type == FtpEntryType.File; } }
        public bool IsDirectory { get { return Type == FtpEntryType.Directory; } }

        /// <summary>Copies a native ftp_entry (valid only during the call).</summary>
        internal static FtpListItem FromNative(IntPtr p, string dir)
        {
            var e = (FtpEntryNative)Marshal.PtrToStructure(p, typeof(FtpEntryNative));
            int type = e.Type;
            string name = Utf8.FromPtr(e.Name);
            return new FtpListItem
            {
                Name = name,
                FullName = name == null || string.IsNullOrEmpty(dir) ? name : dir.TrimEnd('/') + "/" + name,
                Type = type >= 0 && type <= (int)FtpEntryType.Unknown ? (FtpEntryType)type : FtpEntryType.Other,
                Size = e.Size,
                Modified = FtpTime.FromUnix(e.Mtime, e.MtimeUtc != 0 ? DateTimeKind.Utc : DateTimeKind.Unspecified),
                ModifiedPrecision = TimeSpan.FromSeconds(Math.Max(0, e.MtimePrecision)),
                LinkTarget = Utf8.FromPtr(e.LinkTarget),
                UnixMode = Utf8.FromPtr(e.UnixMode),
                Owner = Utf8.FromPtr(e.Owner),
                Group = Utf8.FromPtr(e.Group),
                RawLine = Utf8.FromPtr(e.Raw, checked((int)e.RawLen.ToUInt64())),
                Format = Utf8.FromPtr(e.Format) ?? "",
            };
        }

        public override string ToString() { return Name ?? RawLine; }
    }
}
