using System.Net;

namespace XmppSniff.Echo.Server;

/// <summary>What the echo server listens on and the policies it applies to TCP connections.</summary>
public sealed record EchoServerOptions
{
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port; null turns TCP off.</summary>
    public int? TcpPort { get; init; } = 0;

    /// <summary>0 picks a free port (the TCP port's number if free); null turns UDP off.</summary>
    public int? UdpPort { get; init; } = 0;

    /// <summary>No data either way for this long and the server closes the connection with FIN; null: never.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Concurrent TCP connections one client address may hold; 0: no limit.</summary>
    public int MaxPerClient { get; init; }

    /// <summary>Concurrent TCP connections in all; 0: no limit.</summary>
    public int MaxConnections { get; init; }

    /// <summary>On shutdown, how long open connections may go on before the server closes them.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Log a line per connection open and close (totals are always written).</summary>
    public bool LogConnections { get; init; } = true;
}
