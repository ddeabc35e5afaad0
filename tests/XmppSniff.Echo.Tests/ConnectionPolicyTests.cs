using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using XmppSniff.Echo.Server;

namespace XmppSniff.Echo.Tests;

public class ConnectionPolicyTests
{
    [Fact]
    public async Task IdleConnectionIsClosedWithFinWithinTheTimeout()
    {
        // Long enough that a loaded machine's scheduling delays (over a second in a CI run) fit below
        // twice the timeout, so the upper bound still catches a timer that waits a whole extra period.
        var idle = TimeSpan.FromMilliseconds(1500);
        await using var server = new RunningServer(new EchoServerOptions { IdleTimeout = idle });
        using Socket socket = await server.ConnectAsync();
        await socket.EchoAsync([1, 2, 3]);
        var quiet = Stopwatch.StartNew();

        int read = await socket.ReceiveEndAsync(TimeSpan.FromSeconds(5)); // a RST would throw ConnectionReset here

        Assert.Equal(0, read);
        Assert.InRange(quiet.Elapsed, idle - TimeSpan.FromMilliseconds(50), 2 * idle - TimeSpan.FromMilliseconds(100));
        await server.StopAsync();
        Assert.Contains("3 bytes in, 3 bytes out: idle-timeout", server.Log);
    }

    [Fact]
    public async Task TrafficKeepsAConnectionFromIdlingOut()
    {
        // A timeout well above the gaps, so a loaded machine's pauses do not idle the connection out.
        await using var server = new RunningServer(new EchoServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(1000) });
        using Socket socket = await server.ConnectAsync();
        for (int i = 0; i < 8; i++) // 8 × 150 ms: longer than the timeout in all, never idle that long
        {
            await Task.Delay(150);
            Assert.Equal([(byte)i], await socket.EchoAsync([(byte)i]));
        }
    }

    [Fact]
    public async Task ConnectionOverThePerClientLimitIsResetAndTheOthersGoOn()
    {
        await using var server = new RunningServer(new EchoServerOptions { MaxPerClient = 2 });
        using Socket first = await server.ConnectAsync();
        using Socket second = await server.ConnectAsync();
        await first.EchoAsync([1]);
        await second.EchoAsync([2]);

        await AssertResetAsync(() => server.ConnectAsync());

        Assert.Equal([3], await first.EchoAsync([3]));
        Assert.Equal([4], await second.EchoAsync([4]));
        Assert.Equal(2, server.Server.OpenConnections);
        await server.StopAsync();
        Assert.Contains("limit (max-per-client 2, reset)", server.Log);
        Assert.Equal(1, server.Server.Totals.Refused);
    }

    [Fact]
    public async Task AnotherClientAddressHasItsOwnAllowance()
    {
        await using var server = new RunningServer(new EchoServerOptions { MaxPerClient = 1 });
        using Socket one = await server.ConnectAsync(IPAddress.Parse("127.0.0.1"));
        using Socket two = await server.ConnectAsync(IPAddress.Parse("127.0.0.2"));
        Assert.Equal([5], await one.EchoAsync([5]));
        Assert.Equal([6], await two.EchoAsync([6]));
    }

    [Fact]
    public async Task ConnectionOverTheTotalLimitIsReset()
    {
        await using var server = new RunningServer(new EchoServerOptions { MaxConnections = 1 });
        using Socket first = await server.ConnectAsync(IPAddress.Parse("127.0.0.3"));
        await first.EchoAsync([1]);
        await AssertResetAsync(() => server.ConnectAsync(IPAddress.Parse("127.0.0.4")));
        Assert.Equal([2], await first.EchoAsync([2]));
    }

    [Fact]
    public async Task HundredsOfConcurrentConnectionsFromDistinctLoopbackAddresses()
    {
        // One connection per source address and a limit of one per client: all must stay, and each echo is its own.
        const int Connections = 300;
        await using var server = new RunningServer(new EchoServerOptions { MaxPerClient = 1 });
        IPAddress[] sources = [.. Enumerable.Range(0, Connections).Select(i => new IPAddress([127, 0, (byte)(1 + i / 200), (byte)(1 + i % 200)]))];
        Socket[] sockets = await Task.WhenAll(sources.Select(source => server.ConnectAsync(source)));
        try
        {
            byte[][] echoes = await Task.WhenAll(sockets.Select((s, i) => s.EchoAsync(BitConverter.GetBytes(i))));
            for (int i = 0; i < Connections; i++) Assert.Equal(i, BitConverter.ToInt32(echoes[i]));
            Assert.Equal(Connections, server.Server.OpenConnections);
        }
        finally
        {
            foreach (Socket socket in sockets) socket.Dispose();
        }
        await server.StopAsync();
        Assert.Equal(0, server.Server.Totals.Refused);
        Assert.Equal(Connections, server.Server.Totals.PeakOpen);
    }

    /// <summary>
    /// The kernel completes the handshake before the server accepts and resets, so the RST shows up on the
    /// first read, or already on connect if it arrives before the connect completion is seen.
    /// </summary>
    private static async Task AssertResetAsync(Func<Task<Socket>> connect)
    {
        var reset = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using Socket socket = await connect();
            await socket.ReceiveEndAsync(TimeSpan.FromSeconds(5));
        });
        Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
    }
}
