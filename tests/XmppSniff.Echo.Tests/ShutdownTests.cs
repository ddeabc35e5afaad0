using System.Diagnostics;
using System.Net.Sockets;
using XmppSniff.Echo.Server;

namespace XmppSniff.Echo.Tests;

public class ShutdownTests
{
    [Fact]
    public async Task OpenConnectionsFinishDuringTheGraceAndNewOnesAreRefused()
    {
        var server = new RunningServer(new EchoServerOptions { Grace = TimeSpan.FromSeconds(5) });
        using Socket open = await server.ConnectAsync();
        await open.EchoAsync([1]);

        var stopwatch = Stopwatch.StartNew();
        Task stopping = server.StopAsync();
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);
        Assert.Equal([2], await open.EchoAsync([2])); // still served during the grace period
        var refused = await Assert.ThrowsAsync<SocketException>(() => server.ConnectAsync());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        open.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await open.ReceiveEndAsync(TimeSpan.FromSeconds(5)));
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), "the stop waited for the whole grace period");
        Assert.Contains("client-closed", server.Log);
        Assert.Contains("totals: tcp 1 connections", server.Log);
    }

    [Fact]
    public async Task ConnectionsStillOpenAfterTheGraceAreClosedWithFin()
    {
        var grace = TimeSpan.FromMilliseconds(300);
        var server = new RunningServer(new EchoServerOptions { Grace = grace });
        using Socket open = await server.ConnectAsync();
        await open.EchoAsync([1]);
        var stopwatch = Stopwatch.StartNew();
        Task stopping = server.StopAsync();

        Assert.Equal(0, await open.ReceiveEndAsync(TimeSpan.FromSeconds(5)));
        Assert.True(stopwatch.Elapsed >= grace - TimeSpan.FromMilliseconds(50));
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("1 bytes in, 1 bytes out: shutdown", server.Log);
        Assert.Equal(1, server.Server.Totals.Closed(CloseReason.Shutdown));
    }
}
