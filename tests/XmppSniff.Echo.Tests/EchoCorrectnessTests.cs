using System.Net.Sockets;

namespace XmppSniff.Echo.Tests;

public class EchoCorrectnessTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    [InlineData((1 << 20) + 7)]
    public async Task TcpEchoesEveryByte(int size)
    {
        await using var server = new RunningServer();
        using Socket socket = await server.ConnectAsync();
        byte[] message = SocketExtensions.RandomBytes(size);
        Assert.Equal(message, await socket.EchoAsync(message));
        Assert.Equal(message, await socket.EchoAsync(message)); // and again on the same connection
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1400)]
    [InlineData(65507)]
    public async Task UdpEchoesEveryDatagram(int size)
    {
        await using var server = new RunningServer();
        using var socket = new Socket(server.Udp.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server.Udp);
        byte[] datagram = SocketExtensions.RandomBytes(size);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.SendAsync(datagram, SocketFlags.None, deadline.Token);
        var received = new byte[65536];
        int length = await socket.ReceiveAsync(received, SocketFlags.None, deadline.Token);
        Assert.Equal(datagram, received[..length]);
    }

    [Fact]
    public async Task UdpListensOnTheTcpPortNumberWhenItCan()
    {
        await using var server = new RunningServer();
        Assert.Equal(server.Tcp.Port, server.Udp.Port);
    }

    [Fact]
    public void PatternTellsShiftedAndSwappedMessagesApart()
    {
        var first = new byte[1024];
        EchoPattern.Fill(first, message: 0, offset: 0);
        Assert.Equal(-1, EchoPattern.FirstMismatch(first, 0, 0));
        Assert.NotEqual(-1, EchoPattern.FirstMismatch(first, 1, 0)); // another message's bytes
        Assert.NotEqual(-1, EchoPattern.FirstMismatch(first.AsSpan(256), 0, 0)); // shifted by 256
        Assert.NotEqual(-1, EchoPattern.FirstMismatch(first.AsSpan(1), 0, 0)); // shifted by 1
    }
}
