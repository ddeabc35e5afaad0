using System.Net;
using System.Net.Sockets;
using XmppSniff.Echo.Server;

namespace XmppSniff.Echo.Tests;

/// <summary>An echo server on ephemeral loopback ports for one test, with its log kept for assertions.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly StringWriter _log = new();

    public RunningServer(EchoServerOptions? options = null)
    {
        Server = new EchoServer((options ?? new EchoServerOptions()) with { TcpPort = 0, UdpPort = 0 }, _log);
        Server.Start();
    }

    public EchoServer Server { get; }
    public IPEndPoint Tcp => Server.TcpEndPoint!;
    public IPEndPoint Udp => Server.UdpEndPoint!;

    /// <summary>The log as written so far; complete only after <see cref="StopAsync"/>.</summary>
    public string Log => _log.ToString();

    public Task StopAsync() => Server.StopAsync();

    public async Task<Socket> ConnectAsync(IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (from is not null) socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(Tcp);
        return socket;
    }

    public async ValueTask DisposeAsync() => await Server.StopAsync();
}
