using System.Threading.Channels;

namespace XmppSniff.Echo.Server;

/// <summary>
/// Log lines written by one background task, so a slow stderr never stalls a socket callback
/// and lines from many connections never interleave.
/// </summary>
public sealed class EchoLog : IAsyncDisposable
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public EchoLog(TextWriter output) => _writer = Task.Run(() => WriteAllAsync(output));

    public void Line(string text) => _lines.Writer.TryWrite(text);

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task WriteAllAsync(TextWriter output)
    {
        ChannelReader<string> reader = _lines.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out string? line)) output.WriteLine(line);
            output.Flush(); // once per batch: a burst of closes costs one write
        }
    }
}
