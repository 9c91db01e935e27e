// Enums.cs: the integer-valued types of include/ftp.h, as C# enums.

using System;

namespace LibFtp
{
    /// <summary>The ftp_result values of include/ftp.h (append-only).</summary>
    public enum FtpResult
    {
        Ok = 0,
        Reply = 1,
        Temp = 2,
        Perm = 3,
        Proto = 4,
        IO = 5,
        Eof = 6,
        Timeout = 7,
        Tls = 8,
        InvalidArgument = 9,
        State = 10,
        Callback = 11,
        Encoding = 12,
        Internal = 13,
        Cancelled = 14,
        Verify = 15,
    }

    /// <summary>ftp_tls_version.</summary>
    public enum FtpTlsVersion
    {
        Tls12 = 12,
        Tls13 = 13,
    }

    /// <summary>What a listed entry is (ftp_entry_type).</summary>
    public enum FtpEntryType
    {
        File = 0,
        Directory = 1,
        Link = 2,
        Other = 3,
        /// <summary>A listing line no parser understood: only RawLine and Format are set.</summary>
        Unknown = 4,
    }

    /// <summary>Flags of the whole-file transfers (FTP_RESUME ... FTP_ATOMIC).</summary>
    [Flags]
    public enum FtpFileOptions
    {
        None = 0,
        /// <summary>Continue a partial file (download: from the local size; upload: from the remote SIZE).</summary>
        Resume = 1,
        /// <summary>Compare the copy with the server afterwards (HASH, X commands, else SIZE);
        /// a mismatch throws FtpVerifyException.</summary>
        Verify = 2,
        /// <summary>Create missing parent directories of the target.</summary>
        CreateDirectories = 4,
        /// <summary>Give the copy the source's modification time.</summary>
        KeepModifiedTime = 8,
        /// <summary>Write to a temporary name, rename over the target once complete and verified.</summary>
        Atomic = 16,
    }
}
