// FtpClient.Commands.cs: connecting, logging in, raw commands and replies,
// TLS steps, FEAT, ending the connection.

using System;
using System.Threading;
using System.Threading.Tasks;

namespace LibFtp
{
    public sealed partial class FtpClient
    {
        /// <summary>A getter libftp allows during a call (from a callback): read
        /// directly there, else in turn.</summary>
        T Getter<T>(Func<T> read)
        {
            return gate.OnOwnerThread ? read() : Run(read);
        }

        string LastResponseText() { return Utf8.FromPtr(Native.ftp_last_response(session)) ?? ""; }

        string ConnectCore(string host, int port)
        {
            if (port < 0 || port > 65535) throw new ArgumentOutOfRangeException("port");
            Call(Native.ftp_connect(session, Arg(host, "host"), (ushort)port));
            return Utf8.FromPtr(Native.ftp_getwelcome(session));
        }

        /// <summary>Connects (port 0 = 21, or 990 with implicit TLS) and returns the welcome.</summary>
        public string Connect(string host, int port = 0)
        {
            return Run(() => ConnectCore(host, port));
        }

        /// <summary>Connect; cancelling stops the connect or the welcome's wait.</summary>
        public Task<string> ConnectAsync(string host, int port = 0, CancellationToken cancellationToken = default(CancellationToken))
        {
            return RunAsync(() => ConnectCore(host, port), cancellationToken);
        }

        /// <summary>The server's welcome, or null before a connection.</summary>
        public string Welcome
        {
            get { return Getter(() => Utf8.FromPtr(Native.ftp_getwelcome(session))); }
        }

        string LoginCore(string user, string password, string account)
        {
            Call(Native.ftp_login(session, Utf8.Z(user), Utf8.Z(password), Utf8.Z(account)));
            return LastResponseText();
        }

        /// <summary>Logs in; null or "" user = anonymous. On an FTPS session AUTH
        /// TLS comes first when needed, and PBSZ 0 + PROT P after: data
        /// connections are protected unless ProtC was called.</summary>
        public string Login(string user = null, string password = null, string account = null)
        {
            return Run(() => LoginCore(user, password, account));
        }

        public Task<string> LoginAsync(string user = null, string password = null, string account = null,
                                       CancellationToken cancellationToken = default(CancellationToken))
        {
            return RunAsync(() => LoginCore(user, password, account), cancellationToken);
        }

        /// <summary>The code of the last reply read (0 if none).</summary>
        public int LastReplyCode { get { return Getter(() => Native.ftp_last_code(session)); } }

        /// <summary>The last reply read ("" if none).</summary>
        public string LastReply { get { return Getter(LastResponseText); } }

        string Command(Func<byte[], FtpResult> send, string command)
        {
            byte[] c = Cmd(command);
            Call(send(c));
            return LastResponseText();
        }

        /// <summary>Sends a command, returns the reply (must be 1xx-3xx).</summary>
        public string SendCommand(string command)
        {
            return Run(() => Command(c => Native.ftp_sendcmd(session, c), command));
        }

        public Task<string> SendCommandAsync(string command, CancellationToken cancellationToken = default(CancellationToken))
        {
            return RunAsync(() => Command(c => Native.ftp_sendcmd(session, c), command), cancellationToken);
        }

        /// <summary>Sends a command, returns the reply (must be 2xx).</summary>
        public string VoidCommand(string command)
        {
            return Run(() => Command(c => Native.ftp_voidcmd(session, c), command));
        }

        /// <summary>Reads one reply (1xx-3xx).</summary>
        public string GetResponse()
        {
            return Run(() => { Call(Native.ftp_getresp(session)); return LastResponseText(); });
        }

        /// <summary>Reads one reply, which must be 2xx.</summary>
        public string VoidResponse()
        {
            return Run(() => { Call(Native.ftp_voidresp(session)); return LastResponseText(); });
        }

        /// <summary>ABOR (ftplib's abort). From another thread while a call runs,
        /// that call is cancelled first (it throws FtpCancelledException within
        /// about 100 ms), then ABOR gets the session back in step.</summary>
        public void Abort()
        {
            if (!gate.OnOwnerThread) gate.Cancel();
            Run(() => Call(Native.ftp_abort(session)));
        }

        /// <summary>Sends QUIT and closes the connection (closed even on error).</summary>
        public void Quit() { Run(() => Call(Native.ftp_quit(session))); }

        /// <summary>Closes the connection without sending anything.</summary>
        public void Close() { Run(() => Call(Native.ftp_close(session))); }

        /// <summary>AUTH TLS and the handshake (Login does it when needed).</summary>
        public void Auth() { Run(() => Call(Native.ftp_auth(session))); }

        /// <summary>PBSZ 0 + PROT P: protected data connections (Login does it by
        /// itself on TLS sessions, unless ProtC came first).</summary>
        public void ProtP() { Run(() => Call(Native.ftp_prot_p(session))); }

        /// <summary>PROT C: clear data connections (before Login: nothing sent,
        /// Login then leaves the data connections clear).</summary>
        public void ProtC() { Run(() => Call(Native.ftp_prot_c(session))); }

        /// <summary>CCC: the control connection goes back to clear text.</summary>
        public void Ccc() { Run(() => Call(Native.ftp_ccc(session))); }

        /// <summary>Whether the server advertises `feature` in FEAT ("MLST", "UTF8",
        /// "REST", ...; case-insensitive). FEAT is asked once per connection.</summary>
        public bool HasFeature(string feature)
        {
            return GetFeature(feature) != null;
        }

        /// <summary>The parameters of an advertised feature ("" when it has none,
        /// e.g. "STREAM" for REST, "type*;size*;..." for MLST), or null when
        /// the server does not advertise it (or refuses FEAT).</summary>
        public string GetFeature(string feature)
        {
            byte[] f = Arg(feature, "feature");
            return Run(() =>
            {
                bool has;
                IntPtr p;
                Call(Native.ftp_has_feature(session, f, out has, out p));
                return has ? (Utf8.FromPtr(p) ?? "") : null;
            });
        }
    }
}
