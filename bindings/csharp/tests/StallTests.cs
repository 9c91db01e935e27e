// StallTests.cs: cancelling a transfer while libftp itself waits on the
// network (not inside one of our callbacks): a scripted server sends 64 KiB
// of a download and then nothing, until the client gives up the data
// connection; it then answers 426, as real servers do.

using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LibFtp;

namespace LibFtp.Tests
{
    /// <summary>One scripted FTP session on the loopback whose downloads stall.</summary>
    sealed class StallingServer : IDisposable
    {
        readonly TcpListener control = new TcpListener(IPAddress.Loopback, 0);
        public readonly ManualResetEventSlim Stalled = new ManualResetEventSlim();
        public volatile string Log = "";

        public StallingServer()
        {
            control.Start();
            new Thread(Serve) { IsBackground = true }.Start();
        }

        public int Port { get { return ((IPEndPoint)control.LocalEndpoint).Port; } }

        void Serve()
        {
            Program.UntilDisconnected(() =>
            {
                using (TcpClient c = control.AcceptTcpClient())
                using (var r = new StreamReader(c.GetStream(), Encoding.ASCII))
                {
                    var w = new StreamWriter(c.GetStream(), Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                    w.WriteLine("220 stalling server");
                    TcpListener data = null;
                    for (string line; (line = r.ReadLine()) != null;)
                    {
                        string verb = line.Split(' ')[0].ToUpperInvariant();
                        Log += verb + " ";
                        switch (verb)
                        {
                            case "USER": w.WriteLine("331 password"); break;
                            case "PASS": w.WriteLine("230 in"); break;
                            case "TYPE": w.WriteLine("200 type"); break;
                            case "NOOP": w.WriteLine("200 noop"); break;
                            case "QUIT": w.WriteLine("221 bye"); return;
                            case "PASV":
                                data = new TcpListener(IPAddress.Loopback, 0);
                                data.Start();
                                int p = ((IPEndPoint)data.LocalEndpoint).Port;
                                w.WriteLine("227 Entering Passive Mode (127,0,0,1,{0},{1})", p / 256, p % 256);
                                break;
                            case "RETR":
                                w.WriteLine("150 here it comes (1048576 bytes)");
                                using (Socket d = data.AcceptSocket())
                                {
                                    d.Send(new byte[64 * 1024]);
                                    Stalled.Set();
                                    // Wait for the client to give up the data connection.
                                    var buf = new byte[1];
                                    try { while (d.Receive(buf) > 0) { } }
                                    catch (SocketException) { }
                                }
                                data.Stop();
                                w.WriteLine("426 transfer aborted");
                                break;
                            default: w.WriteLine("500 not here"); break;
                        }
                    }
                }
            });
        }

        public void Dispose() { control.Stop(); }
    }

    static partial class Program
    {
        static void TestCancelStalledTransfer()
        {
            InTempDir("stall", dir =>
            {
                using (var server = new StallingServer())
                using (var c = Track(new FtpClient()))
                {
                    c.Passive = true;
                    c.Connect("127.0.0.1", server.Port);
                    c.Login("u", "p");
                    var cts = new CancellationTokenSource();
                    Task t = c.DownloadFileAsync("f.bin", Path.Combine(dir, "f.bin"), FtpFileOptions.None, null, cts.Token);
                    Check(server.Stalled.Wait(HangBound), "the download stalled after 64 KiB");
                    Thread.Sleep(50);   // libftp is now waiting for more data
                    Check(!t.IsCompleted, "still waiting: " + t.Status);
                    var sw = Stopwatch.StartNew();
                    cts.Cancel();
                    Check(((IAsyncResult)t).AsyncWaitHandle.WaitOne(HangBound), "returned within the bound");
                    sw.Stop();
                    Console.WriteLine("     stalled download: returned {0:0.0} ms after the token fired", sw.Elapsed.TotalMilliseconds);
                    var e = Expect<FtpCancelledException>(() => t.GetAwaiter().GetResult(), "the stalled download");
                    CheckEq(cts.Token, e.CancellationToken, "token");
                    // In step: the next call reads the owed 426 first, then its own reply.
                    string noop = c.SendCommand("NOOP");
                    Check(noop.StartsWith("200"), "NOOP after the cancel: " + noop);
                    c.Quit();
                    Check(server.Log.Contains("RETR NOOP QUIT"), "commands seen: " + server.Log);
                }
            });
        }
    }
}
