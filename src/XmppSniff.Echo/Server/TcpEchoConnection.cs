using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace XmppSniff.Echo.Server;

/// <summary>One accepted TCP connection: echoes what it reads until the client closes, it idles too long or the server stops.</summary>
internal sealed class TcpEchoConnection(long id, Socket socket, TimeSpan? idleTimeout)
{
    private const int ChunkSize = 64 * 1024;
    private readonly CancellationTokenSource _stop = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private volatile bool _shuttingDown;

    public long Id { get; } = id;
    public IPEndPoint Client { get; } = (IPEndPoint)socket.RemoteEndPoint!;
    public long BytesIn { get; private set; }
    public long BytesOut { get; private set; }
    public TimeSpan Duration => Stopwatch.GetElapsedTime(_started);
    public Task<string> Finished { get; private set; } = Task.FromResult("");

    /// <summary>Ends the connection as part of server shutdown (FIN, reason `shutdown`).</summary>
    public void Shutdown()
    {
        _shuttingDown = true;
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already finished
        }
    }

    public void Start(Func<TcpEchoConnection, CloseReason, string, Task<string>> onClosed) =>
        Finished = RunAsync(onClosed);

    private async Task<string> RunAsync(Func<TcpEchoConnection, CloseReason, string, Task<string>> onClosed)
    {
        (CloseReason reason, string detail) = await EchoUntilClosedAsync().ConfigureAwait(false);
        // Release the client's allowance before our FIN goes out: a client that waits for it may connect again at once.
        string closed = await onClosed(this, reason, detail).ConfigureAwait(false);
        CloseWithFin();
        _stop.Dispose();
        return closed;
    }

    private async Task<(CloseReason, string)> EchoUntilClosedAsync()
    {
        try
        {
            while (true)
            {
                ArmIdleTimer();
                // A zero-byte read waits for data without holding a buffer, so idle connections cost no buffer memory.
                await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                byte[] chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                try
                {
                    int read = await socket.ReceiveAsync(chunk, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    if (read == 0) return (CloseReason.ClientClosed, "");
                    BytesIn += read;
                    ArmIdleTimer();
                    await socket.SendAsync(chunk.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    BytesOut += read;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return (_shuttingDown ? CloseReason.Shutdown : CloseReason.IdleTimeout, "");
        }
        catch (SocketException e)
        {
            return (CloseReason.Error, e.SocketErrorCode.ToString());
        }
    }

    private void ArmIdleTimer()
    {
        if (idleTimeout is { } idle) _stop.CancelAfter(idle); // re-arming restarts the countdown
    }

    /// <summary>Shutdown(Send) sends FIN; with nothing unread, closing afterwards sends no RST.</summary>
    private void CloseWithFin()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // the peer already reset the connection: nothing left to say
        }
        socket.Dispose();
    }
}
