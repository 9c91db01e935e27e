// AsyncTests.cs: async calls under 16 concurrent tasks, on clients (each
// serialises its own calls) and on a pool, every result byte-exact.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using LibFtp;

namespace LibFtp.Tests
{
    static partial class Program
    {
        static void TestAsyncConcurrentClients()
        {
            byte[] big = File.ReadAllBytes(P.Local("big.bin")), hello = File.ReadAllBytes(P.Local("hello.txt"));
            var clients4 = Enumerable.Range(0, 4).Select(i => OpenP()).ToArray();
            try
            {
                var tasks = new List<Task>();
                var sinks = new MemoryStream[16];
                for (int i = 0; i < 16; i++)
                {
                    FtpClient c = clients4[i % 4];
                    int k = i;
                    sinks[k] = new MemoryStream();
                    switch (k % 4)
                    {
                        case 0: tasks.Add(c.DownloadAsync("big.bin", sinks[k])); break;
                        case 1: tasks.Add(c.DownloadAsync("hello.txt", sinks[k])); break;
                        case 2: tasks.Add(c.GetSizeAsync("big.bin").ContinueWith(t => CheckEq(BigSize, t.Result, "SIZE " + k))); break;
                        default:
                            tasks.Add(c.GetListingAsync().ContinueWith(t =>
                                Check(t.Result.Any(e => e.Name == "big.bin" && e.Size == BigSize), "listing " + k)));
                            break;
                    }
                }
                Check(Task.WaitAll(tasks.ToArray(), TimeSpan.FromSeconds(60)), "16 tasks finished");
                foreach (var t in tasks)
                    if (t.IsFaulted) throw t.Exception.InnerException;
                for (int k = 0; k < 16; k += 4) CheckBytes(big, sinks[k].ToArray(), "task " + k);
                for (int k = 1; k < 16; k += 4) CheckBytes(hello, sinks[k].ToArray(), "task " + k);
            }
            finally
            {
                foreach (var c in clients4)
                    c.DisposeAsync().AsTask().Wait();
            }
            Check(clients4.All(c => c.Handle.IsClosed), "DisposeAsync freed every session");
        }

        static void TestAsyncConcurrentPool()
        {
            string dir = Path.Combine(Path.GetTempPath(), UniqueName("pool16"));
            Directory.CreateDirectory(dir);
            try
            {
                string[] names = { "big.bin", "hello.txt", "lines.txt", "subdir/nested.txt" };
                using (var pool = new FtpPool(string.Format("ftp://{0}:{1}@{2}:{3}/", P.User, P.Pass, P.Host, P.Port), null, 4))
                {
                    var tasks = Enumerable.Range(0, 16).Select(i =>
                        pool.DownloadFileAsync(names[i % names.Length], Path.Combine(dir, i + ".bin"))).ToArray();
                    Check(Task.WaitAll(tasks, TimeSpan.FromSeconds(60)), "16 pool tasks finished");
                    foreach (var t in tasks)
                        if (t.IsFaulted) throw t.Exception.InnerException;
                    for (int i = 0; i < 16; i++)
                        CheckBytes(File.ReadAllBytes(P.Local(names[i % names.Length])),
                                   File.ReadAllBytes(Path.Combine(dir, i + ".bin")), "pool task " + i);
                    CheckEq(1, FtpHandleStats.Pools, "one live pool");
                }
                CheckEq(0, FtpHandleStats.Pools, "pool freed");
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
