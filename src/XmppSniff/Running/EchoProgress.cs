using System.Diagnostics;
using XmppSniff.Echo.Client;

namespace XmppSniff.Running;

/// <summary>The echo client's one-line progress on stderr: only on a terminal, only after the first second.</summary>
internal sealed class EchoProgress : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _count;
    private bool _shown;

    private EchoProgress(long count) => _count = count;

    public static EchoProgress? ForTerminal(long count) => Console.IsErrorRedirected ? null : new EchoProgress(count);

    public void Report(ClientTally tally)
    {
        if (_clock.ElapsedMilliseconds < 1000) return;
        _shown = true;
        long done = tally.Ok + tally.Failed;
        Console.Error.Write($"\r{100.0 * done / _count,5:0.0}%  {tally.Ok:N0} ok  {tally.Failed:N0} failed  {_clock.Elapsed.TotalSeconds:0} s  ");
    }

    public void Dispose()
    {
        if (_shown) Console.Error.Write("\r" + new string(' ', 60) + "\r");
    }
}
