// FtpsGet.cs: connect by URL with FTPS, list the directory, download a file
// with progress, and give up (cancel) after a time limit.
//
//   ftpsget URL REMOTE-FILE LOCAL-FILE [SECONDS] [CA-FILE]
//   ftpsget ftpes://user:secret@ftp.example.com/pub/ big.iso big.iso 300
using System;
using System.Threading;
using System.Threading.Tasks;
using LibFtp;

static class FtpsGet
{
    static int Main(string[] args)
    {
        return Run(args).GetAwaiter().GetResult();   // (C# 7.1+ may write `static async Task<int> Main`)
    }

    static async Task<int> Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: ftpsget URL REMOTE-FILE LOCAL-FILE [SECONDS] [CA-FILE]");
            return 2;
        }
        var limit = TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3]) : 300);
        // Whom to trust: the system's CAs, plus CA-FILE if given; the
        // certificate must match the URL's host name.
        var tls = new FtpTlsOptions { CaFile = args.Length > 4 ? args[4] : null };
        using (var cts = new CancellationTokenSource(limit))      // cancels everything below at the limit
        {
            try
            {
                // ftpes:// = AUTH TLS on port 21, ftps:// = implicit TLS on 990.
                // Login then sends PBSZ 0 + PROT P: directory listings and
                // file data travel in TLS too.
                FtpClient ftp = await FtpClient.ConnectUrlAsync(args[0], tls, cts.Token);
                try
                {
                    foreach (FtpListItem e in await ftp.GetListingAsync(null, cts.Token))
                        Console.WriteLine("{0,-9} {1,12} {2:yyyy-MM-dd HH:mm} {3}", e.Type, e.Size, e.Modified, e.Name);

                    var progress = new Progress<FtpProgress>(p =>
                        Console.Error.Write("\r{0}: {1} bytes, {2:0.0} %, {3:0} KiB/s   ",
                                            p.RemotePath, p.Offset + p.TransferredBytes, p.Percent, p.BytesPerSecond / 1024));
                    await ftp.DownloadFileAsync(args[1], args[2], FtpFileOptions.Atomic | FtpFileOptions.Verify,
                                                progress, cts.Token);
                    Console.Error.WriteLine();
                    Console.WriteLine("{0}: done ({1})", args[2], ftp.LastReply);
                }
                finally
                {
                    await ftp.DisposeAsync();                      // QUIT, at most 2 s; never throws
                }
                return 0;
            }
            catch (OperationCanceledException)                     // the time limit (FtpCancelledException)
            {
                Console.Error.WriteLine("\nftpsget: gave up after {0} s (nothing left at {1})", limit.TotalSeconds, args[2]);
                return 1;
            }
            catch (Exception e) when (e is IFtpError)               // refused, TLS, I/O, timeout...
            {
                var f = (IFtpError)e;
                Console.Error.WriteLine("\nftpsget: {0} [{1}, reply {2}]", e.Message, f.Result, f.ReplyCode);
                return 1;
            }
        }
    }
}
