using XmppSniff.Analysis.Buffers;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Echo;

/// <summary>Checks that the server's bytes repeat the client's, in order; counts what was echoed.</summary>
internal sealed class EchoAnalyzer : IStreamAnalyzer
{
    /// <summary>Client bytes kept while waiting for their echo; past this the rest is not checked.</summary>
    private const int MaxOwed = 1 << 20;

    private readonly ByteQueue _owed = new();
    private long _echoed;
    private bool _unchecked;

    public string? Violation { get; private set; }

    public int Consume(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
    {
        if (from == FlowSide.Client)
        {
            if (_owed.Length + data.Length <= MaxOwed) _owed.Append(data);
            else _unchecked = true;
            return data.Length;
        }
        int common = Math.Min(_owed.Length, data.Length);
        if (!_unchecked && (common < data.Length || !data[..common].SequenceEqual(_owed.Span[..common])))
            Violation = "the server sent bytes the client had not sent";
        _owed.Consume(common);
        _echoed += data.Length;
        return data.Length;
    }

    public void Gap(FlowSide from, long length) => _unchecked = true; // cannot compare across a hole

    public void End(FlowRecord record) => _owed.Clear();

    public IReadOnlyDictionary<string, object?> Describe() => new Dictionary<string, object?> { ["echoed_bytes"] = _echoed };
}
