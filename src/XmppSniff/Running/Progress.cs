using System.Diagnostics;

namespace XmppSniff.Running;

/// <summary>A one-line progress indicator on stderr, shown only on a terminal and only after the first second.</summary>
internal sealed class Progress : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _length;
    private bool _shown;

    private Progress(long length) => _length = length;

    public static Progress? ForFile(string path, long length) =>
        Console.IsErrorRedirected || length <= 0 ? null : new Progress(length);

    public void Report(long position, long frames)
    {
        if (_clock.ElapsedMilliseconds < 1000) return;
        _shown = true;
        Console.Error.Write($"\r{100.0 * position / _length,5:0.0}%  {frames:N0} packets  ");
    }

    public void Dispose()
    {
        if (_shown) Console.Error.Write("\r" + new string(' ', 40) + "\r");
    }
}
