using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XmppSniff.Tests.Live;

/// <summary>
/// Known traffic on 127.0.0.1 made by the test itself: a TCP and UDP server on one port (TCP
/// echoes, or answers a first line of XMPP or HTTP as a server of that protocol would), and a
/// port nobody listens on. Each client call returns its local port, to find its flow by.
/// </summary>
internal sealed class LoopbackTraffic : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly UdpClient _udp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _servers = [];

    public LoopbackTraffic()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, Port));
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            ClosedPort = ((IPEndPoint)probe.LocalEndPoint!).Port; // bound, never listening, then released
        }
        _servers.Add(Task.Run(AcceptLoop));
        _servers.Add(Task.Run(UdpLoop));
    }

    /// <summary>TCP and UDP served here.</summary>
    public int Port { get; }

    /// <summary>Nothing listens here: a connection is refused.</summary>
    public int ClosedPort { get; }

    public string Filter => $"host 127.0.0.1 and (port {Port} or port {ClosedPort})";

    /// <summary>One message and its echo, then the client closes first.</summary>
    public int ShortTcp() => Exchange(1);

    /// <summary>Three messages each echoed, then the client closes first.</summary>
    public int LongTcp() => Exchange(3);

    public int Refused()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var e = Assert.Throws<SocketException>(() => client.Connect(IPAddress.Loopback, ClosedPort));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
        return LocalPort(client);
    }

    /// <summary>One echoed message, then the client aborts the connection (RST).</summary>
    public int ResetByClient()
    {
        using Socket client = Connect();
        Echo(client, "reset after this");
        client.LingerState = new LingerOption(true, 0); // close sends RST, not FIN
        int port = LocalPort(client);
        client.Close();
        return port;
    }

    /// <summary>A query and its answer.</summary>
    public int Udp()
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        client.Send("ping"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, Port));
        IPEndPoint? from = null;
        Assert.Equal("pong", Encoding.ASCII.GetString(client.Receive(ref from)));
        return LocalPort(client.Client);
    }

    /// <summary>A connection with one echoed message, left open for the caller to close later.</summary>
    public Socket OpenTcp(out int port)
    {
        Socket client = Connect();
        Echo(client, "still open");
        port = LocalPort(client);
        return client;
    }

    /// <summary>An XMPP client: stream header, the server's header and features, one message, close.</summary>
    public int Xmpp()
    {
        using Socket client = Connect();
        client.Send(Encoding.ASCII.GetBytes(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>"));
        ReadUntil(client, "</stream:features>");
        client.Send(Encoding.ASCII.GetBytes("<message to='bob@example.com' id='m1' type='chat'><body>hello live</body></message></stream:stream>"));
        ReadUntil(client, "</stream:stream>");
        client.Shutdown(SocketShutdown.Send);
        ReadToEnd(client);
        return LocalPort(client);
    }

    /// <summary>An HTTP/1.1 GET and its 200 response; the server closes.</summary>
    public int Http()
    {
        using Socket client = Connect();
        client.Send("GET /live HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n"u8);
        Assert.StartsWith("HTTP/1.1 200 OK", ReadToEnd(client));
        return LocalPort(client);
    }

    /// <summary>An XMPP client that authenticates with SASL PLAIN (base64 of "\0user\0password") after the stream headers, then closes.</summary>
    public int XmppSaslPlain(string user, string password)
    {
        using Socket client = Connect();
        client.Send(Encoding.ASCII.GetBytes(
            "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>"));
        ReadUntil(client, "</stream:features>");
        string plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        client.Send(Encoding.ASCII.GetBytes($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{plain}</auth></stream:stream>"));
        ReadUntil(client, "</stream:stream>");
        client.Shutdown(SocketShutdown.Send);
        ReadToEnd(client);
        return LocalPort(client);
    }

    /// <summary>An HTTP/1.1 GET carrying Basic credentials and a cookie, and its 200 response; the server closes.</summary>
    public int HttpWithCredentials(string user, string password, string cookie)
    {
        using Socket client = Connect();
        string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        client.Send(Encoding.ASCII.GetBytes(
            $"GET /private HTTP/1.1\r\nHost: example.com\r\nAuthorization: Basic {basic}\r\nCookie: session={cookie}\r\nConnection: close\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 200 OK", ReadToEnd(client));
        return LocalPort(client);
    }

    /// <summary>Sends <paramref name="count"/> datagrams nobody answers (to the closed port).</summary>
    public void Datagrams(int count)
    {
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        for (int i = 0; i < count; i++) client.Send(Encoding.ASCII.GetBytes($"datagram {i}"), new IPEndPoint(IPAddress.Loopback, ClosedPort));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _udp.Dispose();
        Task.WhenAll(_servers).ContinueWith(_ => { }).Wait(TimeSpan.FromSeconds(10));
    }

    private int Exchange(int messages)
    {
        using Socket client = Connect();
        for (int i = 0; i < messages; i++) Echo(client, $"message {i}");
        client.Shutdown(SocketShutdown.Send); // FIN first from the client
        Assert.Equal("", ReadToEnd(client)); // the server's FIN: both sides closed
        return LocalPort(client);
    }

    private Socket Connect()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(IPAddress.Loopback, Port);
        return client;
    }

    private static void Echo(Socket client, string text)
    {
        client.Send(Encoding.ASCII.GetBytes(text));
        Assert.Equal(text, ReadExactly(client, text.Length));
    }

    private static string ReadExactly(Socket socket, int length)
    {
        var buffer = new byte[length];
        for (int read = 0; read < length;)
        {
            int n = socket.Receive(buffer, read, length - read, SocketFlags.None);
            if (n == 0) break;
            read += n;
        }
        return Encoding.ASCII.GetString(buffer);
    }

    private static string ReadUntil(Socket socket, string end)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(end))
        {
            int n = socket.Receive(buffer);
            if (n == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return text.ToString();
    }

    private static string ReadToEnd(Socket socket) => ReadUntil(socket, "\0never\0");

    private static int LocalPort(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Serve(accepted));
        }
    }

    /// <summary>Echo, unless the first bytes are XMPP or HTTP; closes after the client's FIN (or at once after HTTP).</summary>
    private static void Serve(Socket socket)
    {
        using (socket)
        {
            try
            {
                var buffer = new byte[4096];
                int n = socket.Receive(buffer);
                string first = Encoding.ASCII.GetString(buffer, 0, n);
                if (first.StartsWith("<?xml", StringComparison.Ordinal))
                {
                    socket.Send(Encoding.ASCII.GetBytes(
                        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.com' id='live1' version='1.0'><stream:features></stream:features>"));
                    ReadUntil(socket, "</stream:stream>");
                    socket.Send("</stream:stream>"u8);
                    ReadToEnd(socket);
                }
                else if (first.StartsWith("GET ", StringComparison.Ordinal))
                {
                    socket.Send("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8);
                }
                else
                {
                    while (n > 0)
                    {
                        socket.Send(buffer, n, SocketFlags.None);
                        n = socket.Receive(buffer);
                    }
                }
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // the client reset the connection: nothing to close politely
            }
        }
    }

    private async Task UdpLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult query;
            try
            {
                query = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            await _udp.SendAsync("pong"u8.ToArray(), query.RemoteEndPoint);
        }
    }
}
