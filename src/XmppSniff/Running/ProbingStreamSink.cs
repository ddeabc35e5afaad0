using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// A stop-gap host for one analyzer on one flow, until the generic analyzer host lands: holds the
/// first bytes of each side while the descriptor's probe decides, then replays them, and afterwards
/// keeps each side's unconsumed tail (consume-and-report) and offers it again with what follows.
/// </summary>
internal sealed class ProbingStreamSink(Flow flow, ProtocolDescriptor protocol) : IStreamSink
{
    /// <summary>Bytes held per side while probing; past this the flow is not the protocol.</summary>
    private const int MaxProbeBytes = 8192;

    private readonly List<(FlowSide Side, byte[] Data, long Time, long Frame)> _probeChunks = [];
    private readonly HeldBytes _client = new();
    private readonly HeldBytes _server = new();
    private IStreamAnalyzer? _analyzer;
    private bool _rejected;

    public IStreamAnalyzer? Analyzer => _analyzer;

    public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame)
    {
        if (_rejected) return;
        if (_analyzer is not null)
        {
            Feed(from, data, time, frame);
            return;
        }
        _probeChunks.Add((from, data.ToArray(), time, frame));
        byte[] client = Joined(FlowSide.Client), server = Joined(FlowSide.Server);
        switch (protocol.Probe(client, server))
        {
            case ProbeResult.Yes:
                flow.App = protocol.Name;
                _analyzer = protocol.Create(flow);
                foreach (var chunk in _probeChunks) Feed(chunk.Side, chunk.Data, chunk.Time, chunk.Frame);
                _probeChunks.Clear();
                break;
            case ProbeResult.No:
                Reject();
                break;
            default:
                if (client.Length > MaxProbeBytes || server.Length > MaxProbeBytes) Reject();
                break;
        }
    }

    public void OnGap(FlowSide from, long length)
    {
        if (_analyzer is null)
        {
            Reject(); // the first bytes are incomplete: nothing sound to probe
            return;
        }
        Held(from).Clear();
        _analyzer.Gap(from, length);
    }

    public void End(FlowRecord record) => _analyzer?.End(record);

    private void Reject()
    {
        _rejected = true;
        _probeChunks.Clear();
    }

    private byte[] Joined(FlowSide side) => _probeChunks.Where(c => c.Side == side).SelectMany(c => c.Data).ToArray();

    private HeldBytes Held(FlowSide side) => side == FlowSide.Client ? _client : _server;

    private void Feed(FlowSide from, ReadOnlySpan<byte> data, long time, long frame)
    {
        if (_analyzer!.Violation is not null) return;
        HeldBytes held = Held(from);
        var at = new StreamPosition(time, frame);
        if (held.Length == 0)
        {
            int used = _analyzer.Consume(from, data, at);
            held.Set(data[used..]);
            return;
        }
        held.Append(data);
        int consumed = _analyzer.Consume(from, held.Span, at);
        held.Drop(consumed);
    }

    /// <summary>One side's unconsumed bytes; the analyzer bounds how much it leaves.</summary>
    private sealed class HeldBytes
    {
        private byte[] _buffer = [];

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

        public void Clear() => Length = 0;

        public void Set(ReadOnlySpan<byte> data)
        {
            Length = 0;
            Append(data);
        }

        public void Append(ReadOnlySpan<byte> data)
        {
            if (Length + data.Length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(Length + data.Length, _buffer.Length * 2));
            data.CopyTo(_buffer.AsSpan(Length));
            Length += data.Length;
        }

        public void Drop(int count)
        {
            _buffer.AsSpan(count, Length - count).CopyTo(_buffer);
            Length -= count;
            if (Length == 0 && _buffer.Length > 1 << 16) _buffer = []; // give back what a big element took
        }
    }
}
