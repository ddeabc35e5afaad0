using System.Diagnostics;

namespace XmppSniff.Running;

/// <summary>
/// A one-line status on stderr, redrawn in place: only on a terminal (never in a pipe or a log),
/// and only once the work has taken a second, so quick runs print nothing.
/// </summary>
internal sealed class Progress : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _width;

    private Progress()
    {
    }

    /// <summary>A progress line, or null when stderr is not a terminal.</summary>
    public static Progress? OnTerminal() => Console.IsErrorRedirected ? null : new Progress();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Show(string line)
    {
        if (_clock.ElapsedMilliseconds < 1000) return;
        _width = Math.Max(_width, line.Length);
        Console.Error.Write("\r" + line.PadRight(_width));
    }

    public void Dispose()
    {
        if (_width > 0) Console.Error.Write("\r" + new string(' ', _width) + "\r");
    }
}
