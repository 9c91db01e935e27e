// NextTests.cs: the bindings of contract functions libftp does not export
// yet (LIBFTP_NEXT): a login from netrc through FtpClient.Open, and a
// session through an HTTP CONNECT proxy (a small relay here, counting the
// connections it carries). The mirror test is in PoolTests.cs.

#if LIBFTP_NEXT
using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using LibFtp;

namespace LibFtp.Tests
{
    /// <summary>An HTTP CONNECT proxy on the loopback that relays every tunnel.</summary>
    sealed class ConnectProxy : IDisposable
    {
        readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
        int tunnels;

        public ConnectProxy()
        {
            listener.Start();
            new Thread(AcceptLoop) { IsBackground = true }.Start();
        }

        public int Port { get { return ((IPEndPoint)listener.LocalEndpoint).Port; } }
        public int Tunnels { get { return Volatile.Read(ref tunnels); } }

        void AcceptLoop()
        {
            try
            {
                for (;;)
                {
                    TcpClient c = listener.AcceptTcpClient();
                    new Thread(() => Serve(c)) { IsBackground = true }.Start();
                }
            }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        }

        static string ReadHead(NetworkStream s)
        {
            var head = new StringBuilder();
            while (!head.ToString().EndsWith("\r\n\r\n"))
            {
                int b = s.ReadByte();
                if (b < 0) return null;
                head.Append((char)b);
            }
            return head.ToString();
        }

        void Serve(TcpClient client)
        {
            using (client)
            {
                NetworkStream cs = client.GetStream();
                string head = ReadHead(cs);
                if (head == null || !head.StartsWith("CONNECT ")) return;
                string target = head.Split(' ')[1];
                int colon = target.LastIndexOf(':');
                using (var server = new TcpClient(target.Substring(0, colon).Trim('[', ']'), int.Parse(target.Substring(colon + 1))))
                {
                    Interlocked.Increment(ref tunnels);
                    byte[] ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 Connection established\r\n\r\n");
                    cs.Write(ok, 0, ok.Length);
                    NetworkStream ss = server.GetStream();
                    var up = new Thread(() => Pump(cs, ss, server.Client)) { IsBackground = true };
                    up.Start();
                    Pump(ss, cs, client.Client);
                    up.Join();
                }
            }
        }

        static void Pump(Stream from, Stream to, Socket toSocket)
        {
            Program.UntilDisconnected(() =>
            {
                from.CopyTo(to);
                toSocket.Shutdown(SocketShutdown.Send);
            });
        }

        public void Dispose() { listener.Stop(); }
    }

    static partial class Program
    {
        static void TestNetrcLogin()
        {
            InTempDir("netrc", dir =>
            {
                string netrc = Path.Combine(dir, "netrc");
                File.WriteAllText(netrc, string.Format("machine {0} login {1} password {2}\n", P.Host, P.User, P.Pass));
                using (var chmod = Process.Start("chmod", "600 " + netrc)) chmod.WaitForExit();
                using (var c = Track(new FtpClient()))
                {
                    c.NetrcPath = netrc;
                    c.Open(string.Format("ftp://{0}:{1}/", P.Host, P.Port));
                    // Anonymous may not write on pyftpdlib: this upload proves the netrc login.
                    string name = UniqueName("netrc.txt");
                    c.Upload(name, new MemoryStream(new byte[] { 7 }));
                    CheckBytes(new byte[] { 7 }, File.ReadAllBytes(P.Local(name)), "upload as the netrc user");
                    c.Delete(name);
                }
            });
        }

        static void TestProxy()
        {
            using (var proxy = new ConnectProxy())
            using (var c = Track(new FtpClient()))
            {
                Expect<FtpInvalidArgumentException>(() => c.Proxy = "gopher://127.0.0.1:1", "not a proxy URL");
                CheckEq(null, c.Proxy, "unchanged after a refusal");
                c.Proxy = "http://127.0.0.1:" + proxy.Port;
                c.Connect(P.Host, P.Port);
                c.Login(P.User, P.Pass);
                DownloadCompare(c, P, "big.bin");
                Check(proxy.Tunnels >= 2, "control and data connections through the proxy: " + proxy.Tunnels);
                c.Quit();
                c.Proxy = "http://127.0.0.1:1";   // nothing listens there
                Expect<FtpIOException>(() => c.Connect(P.Host, P.Port), "an unreachable proxy");
                c.Proxy = null;
                c.Connect(P.Host, P.Port);
                c.Login(P.User, P.Pass);
                Noop(c);
            }
        }

        static void TestPoolProxyAndNetrc()
        {
            InTempDir("pproxy", dir =>
            {
                using (var proxy = new ConnectProxy())
                using (var pool = new FtpPool(PUrl(), null, 2))
                {
                    Expect<FtpInvalidArgumentException>(() => pool.Proxy = "gopher://127.0.0.1:1", "not a proxy URL");
                    CheckEq(null, pool.Proxy, "unchanged after a refusal");
                    pool.Proxy = "http://127.0.0.1:" + proxy.Port;
                    string local = Path.Combine(dir, "big.bin");
                    pool.DownloadSegmented("big.bin", local, 2);
                    CheckBytes(File.ReadAllBytes(P.Local("big.bin")), File.ReadAllBytes(local), "segmented download through the proxy");
                    Check(proxy.Tunnels >= 3, "control and data connections through the proxy: " + proxy.Tunnels);
                    pool.Proxy = "http://127.0.0.1:1";   // nothing listens there
                    Expect<FtpIOException>(() => pool.DownloadFile("hello.txt", Path.Combine(dir, "h")), "an unreachable proxy");
                    pool.Proxy = null;
                    pool.DownloadFile("hello.txt", Path.Combine(dir, "h"));
                    CheckBytes(File.ReadAllBytes(P.Local("hello.txt")), File.ReadAllBytes(Path.Combine(dir, "h")), "direct again");
                }
                string netrc = Path.Combine(dir, "netrc");
                File.WriteAllText(netrc, string.Format("machine {0} login {1} password {2}\n", P.Host, P.User, P.Pass));
                using (var chmod = Process.Start("chmod", "600 " + netrc)) chmod.WaitForExit();
                using (var pool = new FtpPool(string.Format("ftp://{0}:{1}/", P.Host, P.Port), null, 2))
                {
                    CheckEq("", pool.NetrcPath, "no netrc by default");
                    pool.NetrcPath = netrc;
                    // Anonymous may not write on pyftpdlib: this upload proves the netrc login.
                    string name = UniqueName("pool-netrc.txt");
                    File.WriteAllText(Path.Combine(dir, "up"), "netrc pool\n");
                    pool.UploadFile(Path.Combine(dir, "up"), name);
                    CheckEq("netrc pool\n", File.ReadAllText(P.Local(name)), "upload as the netrc user");
                    File.Delete(P.Local(name));
                }
            });
        }
    }
}
#endif
