// FtpClient.Listings.cs: directory listings: parsed (ftp_list, any
// server), MLSD with raw facts, and ftplib's NLST/LIST lines.

using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    public sealed partial class FtpClient
    {
        List<FtpListItem> ListingCore(string path)
        {
            byte[] p = OptionalArg(path, "path");
            var ctx = new EntryContext { Directory = path };
            CallWith(ctx, ud => Native.ftp_list(session, p, Callbacks.Entry, ud));
            return ctx.Items;
        }

        /// <summary>A directory's entries, parsed (null or "" = the current one):
        /// MLSD when the server advertises MLST, else LIST parsed line by line
        /// (Unix, DOS/IIS, EPLF, VMS, NetWare). Every line gives one item (Type
        /// Unknown when no parser understood it); "." and ".." are left out.</summary>
        public List<FtpListItem> GetListing(string path = null)
        {
            return Run(() => ListingCore(path));
        }

        public Task<List<FtpListItem>> GetListingAsync(string path = null,
                                                       CancellationToken cancellationToken = default(CancellationToken))
        {
            return RunAsync(() => ListingCore(path), cancellationToken);
        }

        /// <summary>NLST: the names of a directory (null = the current one).</summary>
        public List<string> ListNames(string path = null)
        {
            return Lines(path, true);
        }

        /// <summary>LIST: the raw lines of a directory listing (null = the current one).</summary>
        public List<string> List(string path = null)
        {
            return Lines(path, false);
        }

        List<string> Lines(string args, bool nlst)
        {
            var lines = new List<string>();
            byte[] a = OptionalArg(args, "path");
            var ctx = new LineContext { OnLine = lines.Add };
            Run(() => CallWith(ctx, ud => nlst ? Native.ftp_nlst(session, a, Callbacks.Line, ud)
                                               : Native.ftp_dir(session, a, Callbacks.Line, ud)));
            return lines;
        }

        /// <summary>MLSD: the entries of a directory with their raw facts (null =
        /// the current one); facts (if any) are asked for with OPTS MLST first.
        /// Servers without MLSD refuse it (FtpPermException): GetListing works
        /// everywhere.</summary>
        public List<FtpListEntry> Mlsd(string path = null, params string[] facts)
        {
            byte[] p = OptionalArg(path, "path");
            var ctx = new MlsdContext();
            int n = facts == null ? 0 : facts.Length;
            IntPtr[] factPtrs = n == 0 ? null : new IntPtr[n];
            try
            {
                for (int i = 0; i < n; i++)
                {
                    byte[] z = Arg(facts[i], "fact");
                    factPtrs[i] = Marshal.AllocHGlobal(z.Length);
                    Marshal.Copy(z, 0, factPtrs[i], z.Length);
                }
                Run(() => CallWith(ctx, ud => Native.ftp_mlsd(session, p, factPtrs, new UIntPtr((uint)n), Callbacks.Mlsd, ud)));
            }
            finally
            {
                if (factPtrs != null)
                    foreach (IntPtr f in factPtrs)
                        if (f != IntPtr.Zero) Marshal.FreeHGlobal(f);
            }
            return ctx.Entries;
        }
    }
}
