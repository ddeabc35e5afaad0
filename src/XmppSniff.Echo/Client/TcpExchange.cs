using System.Buffers;
using System.Net.Sockets;

namespace XmppSniff.Echo.Client;

/// <summary>Sends one message over a connected TCP socket and checks its echo byte for byte.</summary>
internal static class TcpExchange
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Null if the echo came back whole and equal; else what went wrong.</summary>
    public static async Task<string?> RunAsync(Socket socket, long message, int size, TimeSpan timeout, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        // Read while sending: a message larger than the socket buffers would otherwise deadlock with the server.
        Task<string?> echo = ReceiveAndVerifyAsync(socket, message, size, deadline.Token);
        try
        {
            await SendAsync(socket, message, size, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            await deadline.CancelAsync().ConfigureAwait(false);
            await echo.ConfigureAwait(false);
            return Describe(e, "sending");
        }
        string? error = await echo.ConfigureAwait(false);
        return error;
    }

    private static async Task SendAsync(Socket socket, long message, int size, CancellationToken cancel)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(Math.Min(size, ChunkSize));
        try
        {
            for (int offset = 0; offset < size;)
            {
                int length = Math.Min(chunk.Length, size - offset);
                EchoPattern.Fill(chunk.AsSpan(0, length), message, offset);
                await socket.SendAsync(chunk.AsMemory(0, length), SocketFlags.None, cancel).ConfigureAwait(false);
                offset += length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static async Task<string?> ReceiveAndVerifyAsync(Socket socket, long message, int size, CancellationToken cancel)
    {
        byte[] chunk = ArrayPool<byte>.Shared.Rent(Math.Min(size, ChunkSize));
        try
        {
            for (int offset = 0; offset < size;)
            {
                int read = await socket.ReceiveAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - offset)), SocketFlags.None, cancel)
                    .ConfigureAwait(false);
                if (read == 0) return $"the server closed the connection after {offset} of {size} echo bytes";
                int mismatch = EchoPattern.FirstMismatch(chunk.AsSpan(0, read), message, offset);
                if (mismatch >= 0) return $"echo differs at byte {offset + mismatch} of message {message}";
                offset += read;
            }
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return Describe(e, "reading the echo");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    public static string Describe(Exception e, string doing) => e switch
    {
        OperationCanceledException => $"timed out {doing}",
        SocketException s => $"{s.SocketErrorCode} {doing}",
        _ => $"{e.Message} {doing}",
    };
}
