using System.Diagnostics;

namespace XmppSniff.Echo.Client;

/// <summary>Spaces messages of all slots evenly at a rate in messages per second, by handing out send times.</summary>
internal sealed class Pacer(double rate)
{
    private readonly Lock _lock = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _nextSlot;

    public async Task WaitTurnAsync(CancellationToken cancel)
    {
        if (rate <= 0) return;
        long slot;
        lock (_lock) slot = _nextSlot++;
        TimeSpan due = TimeSpan.FromSeconds(slot / rate) - Stopwatch.GetElapsedTime(_start);
        if (due > TimeSpan.Zero) await Task.Delay(due, cancel).ConfigureAwait(false);
    }
}
