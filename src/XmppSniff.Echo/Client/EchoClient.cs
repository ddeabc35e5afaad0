using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace XmppSniff.Echo.Client;

/// <summary>Runs the messages of one client invocation over its concurrency slots and tallies the results.</summary>
public sealed class EchoClient(EchoClientOptions options)
{
    private readonly Pacer _pacer = new(options.Rate);
    private long _nextShortMessage;

    public ClientTally Tally { get; } = new();

    public async Task<EchoSummary> RunAsync(CancellationToken cancel = default)
    {
        IPEndPoint server = await Sockets.ResolveAsync(options).ConfigureAwait(false);
        int slots = Math.Max(1, Math.Min(options.Concurrency, options.Count));
        var running = new Task[slots];
        for (int slot = 0; slot < slots; slot++)
        {
            // Long and UDP slots own a fixed share of the messages; short slots take the next one as they free up.
            (long first, long count) = Share(slot, slots);
            running[slot] = options.Mode switch
            {
                EchoMode.Short => Task.Run(() => ShortSlotAsync(server, cancel), cancel),
                EchoMode.Long => Task.Run(() => LongSlotAsync(server, first, count, cancel), cancel),
                _ => Task.Run(() => UdpSlotAsync(server, first, count, cancel), cancel),
            };
        }
        await Task.WhenAll(running).ConfigureAwait(false);
        return Tally.Summarize(options.Mode);
    }

    private (long First, long Count) Share(int slot, int slots)
    {
        long each = options.Count / slots, extra = options.Count % slots;
        long first = slot * each + Math.Min(slot, extra);
        return (first, each + (slot < extra ? 1 : 0));
    }

    private async Task PaceAsync(bool firstOfSlot, CancellationToken cancel)
    {
        if (!firstOfSlot && options.Interval > TimeSpan.Zero) await Task.Delay(options.Interval, cancel).ConfigureAwait(false);
        await _pacer.WaitTurnAsync(cancel).ConfigureAwait(false);
    }

    private async Task ShortSlotAsync(IPEndPoint server, CancellationToken cancel)
    {
        for (long message, sent = 0; (message = Interlocked.Increment(ref _nextShortMessage) - 1) < options.Count; sent++)
        {
            await PaceAsync(sent == 0, cancel).ConfigureAwait(false);
            long start = Stopwatch.GetTimestamp();
            string? error;
            try
            {
                using Socket socket = await Sockets.ConnectTcpAsync(server, options.Bind, options.Timeout, cancel).ConfigureAwait(false);
                Tally.Connected();
                error = await TcpExchange.RunAsync(socket, message, options.Size, options.Timeout, cancel).ConfigureAwait(false);
                if (error is null) await CloseFirstAsync(socket, cancel).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                error = TcpExchange.Describe(e, "connecting");
            }
            if (error is null) Tally.Succeeded(options.Size, Stopwatch.GetElapsedTime(start));
            else Tally.FailedMessages(1, error);
        }
    }

    /// <summary>
    /// Sends our FIN and waits for the server's before letting go, so a connection is gone at both ends
    /// before the slot opens the next one (the server's per-client limit counts what it still holds).
    /// </summary>
    private async Task CloseFirstAsync(Socket socket, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(options.Timeout);
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // the echo was right; how the server ends the connection is its business
        }
    }

    private async Task LongSlotAsync(IPEndPoint server, long first, long count, CancellationToken cancel)
    {
        Socket socket;
        try
        {
            socket = await Sockets.ConnectTcpAsync(server, options.Bind, options.Timeout, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Tally.FailedMessages(count, TcpExchange.Describe(e, "connecting"));
            return;
        }
        using (socket)
        {
            Tally.Connected();
            for (long i = 0; i < count; i++)
            {
                await PaceAsync(i == 0, cancel).ConfigureAwait(false);
                long start = Stopwatch.GetTimestamp();
                string? error = await TcpExchange.RunAsync(socket, first + i, options.Size, options.Timeout, cancel).ConfigureAwait(false);
                if (error is null)
                {
                    Tally.Succeeded(options.Size, Stopwatch.GetElapsedTime(start));
                    continue;
                }
                // The stream is out of step after a failure: the rest of this connection's messages fail with it.
                Tally.FailedMessages(count - i, error);
                return;
            }
            if (options.Hold > TimeSpan.Zero) await HoldAsync(socket, cancel).ConfigureAwait(false);
        }
    }

    /// <summary>Keeps the connection open, idle, until the hold time passes or the server closes it.</summary>
    private async Task HoldAsync(Socket socket, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(options.Hold);
        try
        {
            int read = await socket.ReceiveAsync(new byte[1], SocketFlags.None, deadline.Token).ConfigureAwait(false);
            if (read == 0) Tally.ClosedByServer();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // held the whole time (or the server reset): either way we close now
        }
    }

    private async Task UdpSlotAsync(IPEndPoint server, long first, long count, CancellationToken cancel)
    {
        using Socket socket = Sockets.ConnectUdp(server, options.Bind);
        Tally.Connected();
        var exchange = new UdpExchange(socket, options.Size, options.Timeout);
        for (long i = 0; i < count; i++)
        {
            await PaceAsync(i == 0, cancel).ConfigureAwait(false);
            long start = Stopwatch.GetTimestamp();
            (string? error, bool lost) = await exchange.RunAsync(first + i, cancel).ConfigureAwait(false);
            if (error is null) Tally.Succeeded(options.Size, Stopwatch.GetElapsedTime(start));
            else Tally.FailedMessages(1, error, lost);
        }
    }
}
