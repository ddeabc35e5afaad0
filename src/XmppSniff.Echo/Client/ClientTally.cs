using System.Diagnostics;

namespace XmppSniff.Echo.Client;

/// <summary>What the client slots have done so far; safe to update from all of them and to read while they run.</summary>
public sealed class ClientTally
{
    private readonly Lock _lock = new();
    private readonly List<double> _latenciesMs = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _ok, _failed, _lost, _connections, _closedByServer, _bytes, _lastDone;
    private string? _firstError;

    public long Ok => Interlocked.Read(ref _ok);
    public long Failed => Interlocked.Read(ref _failed);
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    internal void Connected() => Interlocked.Increment(ref _connections);

    internal void ClosedByServer() => Interlocked.Increment(ref _closedByServer);

    internal void Succeeded(int bytes, TimeSpan latency)
    {
        lock (_lock) _latenciesMs.Add(latency.TotalMilliseconds);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Increment(ref _ok);
        MessageDone();
    }

    internal void FailedMessages(long count, string error, bool lost = false)
    {
        if (count <= 0) return;
        Interlocked.Add(ref _failed, count);
        if (lost) Interlocked.Add(ref _lost, count);
        Interlocked.CompareExchange(ref _firstError, error, null);
        MessageDone();
    }

    public EchoSummary Summarize(EchoMode mode)
    {
        double[] sorted;
        lock (_lock) sorted = [.. _latenciesMs];
        Array.Sort(sorted);
        long end = Interlocked.Read(ref _lastDone);
        double seconds = end == 0 ? 0 : Stopwatch.GetElapsedTime(_started, end).TotalSeconds;
        return new EchoSummary(mode, Ok, Failed, Interlocked.Read(ref _lost), Interlocked.Read(ref _connections),
            Interlocked.Read(ref _closedByServer), Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99),
            sorted.Length == 0 ? null : sorted[^1], Interlocked.Read(ref _bytes), seconds, _firstError);
    }

    /// <summary>Nearest-rank percentile: a latency some message really had.</summary>
    private static double? Percentile(double[] sorted, int percent) =>
        sorted.Length == 0 ? null : sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];

    /// <summary>The run's time ends with its last message, not with connections held open afterwards.</summary>
    private void MessageDone()
    {
        long now = Stopwatch.GetTimestamp(), last;
        while (now > (last = Interlocked.Read(ref _lastDone)) && Interlocked.CompareExchange(ref _lastDone, now, last) != last)
        {
        }
    }
}
