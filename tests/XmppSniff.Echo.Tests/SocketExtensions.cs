using System.Net.Sockets;

namespace XmppSniff.Echo.Tests;

internal static class SocketExtensions
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Sends the bytes while reading the same number back (so large messages cannot deadlock), and returns what came back.</summary>
    public static async Task<byte[]> EchoAsync(this Socket socket, byte[] message)
    {
        using var deadline = new CancellationTokenSource(Patience);
        var received = new byte[message.Length];
        Task<int> reading = socket.ReceiveExactlyAsync(received, deadline.Token);
        await socket.SendAsync(message, SocketFlags.None, deadline.Token);
        int got = await reading;
        return received[..got];
    }

    /// <summary>Reads until the buffer is full or the peer closes; returns how many bytes came.</summary>
    public static async Task<int> ReceiveExactlyAsync(this Socket socket, Memory<byte> buffer, CancellationToken cancel)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await socket.ReceiveAsync(buffer[total..], SocketFlags.None, cancel);
            if (read == 0) break;
            total += read;
        }
        return total;
    }

    /// <summary>Waits for the peer to close: 0 means FIN (end of stream); a reset throws ConnectionReset.</summary>
    public static async Task<int> ReceiveEndAsync(this Socket socket, TimeSpan within)
    {
        using var deadline = new CancellationTokenSource(within);
        return await socket.ReceiveAsync(new byte[16], SocketFlags.None, deadline.Token);
    }

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
