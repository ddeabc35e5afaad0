using System.Net;
using XmppSniff.Echo.Client;
using XmppSniff.Echo.Server;

namespace XmppSniff.Echo.Tests;

public class EchoClientTests
{
    [Theory]
    [InlineData(EchoMode.Short, 20, 1, 4, 20)]
    [InlineData(EchoMode.Long, 20, 1000, 4, 4)]
    [InlineData(EchoMode.Long, 3, 1 << 20, 3, 3)]
    [InlineData(EchoMode.Udp, 20, 1200, 4, 4)]
    [InlineData(EchoMode.Udp, 5, 3, 1, 1)]
    public async Task EveryMessageComesBackWhole(EchoMode mode, int count, int size, int concurrency, int connections)
    {
        await using var server = new RunningServer();
        var client = new EchoClient(new EchoClientOptions
        {
            Mode = mode, Port = mode == EchoMode.Udp ? server.Udp.Port : server.Tcp.Port,
            Count = count, Size = size, Concurrency = concurrency,
        });
        EchoSummary summary = await client.RunAsync();
        Assert.Equal((count, 0L, (long)connections), (summary.Ok, summary.Failed, summary.Connections));
        Assert.Equal((long)count * size, summary.Bytes);
        Assert.True(summary.P50Ms <= summary.P90Ms && summary.P90Ms <= summary.P99Ms && summary.P99Ms <= summary.MaxMs);
    }

    [Fact]
    public async Task ShortConnectionsFromOneSourceStayWithinThePerClientLimit()
    {
        // The client waits for the server's FIN before its next connection, so the server never holds more than the slots.
        await using var server = new RunningServer(new EchoServerOptions { MaxPerClient = 2 });
        var client = new EchoClient(new EchoClientOptions { Mode = EchoMode.Short, Port = server.Tcp.Port, Count = 60, Concurrency = 2 });
        EchoSummary summary = await client.RunAsync();
        Assert.Equal((60L, 0L), (summary.Ok, summary.Failed));
    }

    [Fact]
    public async Task HoldSeesTheServerCloseAnIdleConnection()
    {
        await using var server = new RunningServer(new EchoServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        var client = new EchoClient(new EchoClientOptions
        {
            Mode = EchoMode.Long, Port = server.Tcp.Port, Count = 2, Hold = TimeSpan.FromSeconds(5), Bind = IPAddress.Parse("127.0.9.9"),
        });
        EchoSummary summary = await client.RunAsync();
        Assert.Equal((2L, 0L, 1L), (summary.Ok, summary.Failed, summary.ClosedByServer));
        await server.StopAsync();
        Assert.Contains("127.0.9.9:", server.Log);
    }

    [Fact]
    public async Task RateSpacesMessagesOut()
    {
        await using var server = new RunningServer();
        var client = new EchoClient(new EchoClientOptions { Mode = EchoMode.Long, Port = server.Tcp.Port, Count = 6, Concurrency = 2, Rate = 20 });
        EchoSummary summary = await client.RunAsync();
        Assert.Equal(6, summary.Ok);
        Assert.InRange(summary.Seconds, 0.2, 2); // 6 messages at 20/s: the last one goes out at 0.25 s
    }

    [Fact]
    public async Task LostDatagramsAreCounted()
    {
        using var stop = new CancellationTokenSource();
        (int port, Task serving) = FaultyServers.DroppingUdp(stop.Token);
        var client = new EchoClient(new EchoClientOptions { Mode = EchoMode.Udp, Port = port, Count = 6, Size = 100, Timeout = TimeSpan.FromMilliseconds(200) });
        EchoSummary summary = await client.RunAsync();
        await stop.CancelAsync();
        await serving;
        Assert.Equal((3L, 3L, 3L), (summary.Ok, summary.Failed, summary.Lost));
    }
}
