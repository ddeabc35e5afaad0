using XmppSniff.Analysis.Buffers;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Detection;

/// <summary>
/// Sits between one flow and its analyzer. First it holds the flow's opening bytes and asks the
/// probes; once a protocol is chosen it replays them, in their original order, to that protocol's
/// analyzer. From then on it keeps only what the analyzer did not consume (consume-and-report).
/// </summary>
public sealed class AnalyzerHost : IStreamSink
{
    /// <summary>Bytes held per side while deciding; past this the flow stays "unknown".</summary>
    public const int ProbeBytes = 4096;

    /// <summary>Unconsumed bytes held per side for an analyzer; past this they are dropped as a gap.</summary>
    public const int MaxHeldBytes = 16 << 20;

    private readonly Flow _flow;
    private readonly ProtocolRegistry _registry;
    // Made at the first byte that needs them: most connections of a scan or flood never carry one.
    private ByteQueue? _client;
    private ByteQueue? _server;
    private List<(FlowSide Side, int Length, StreamPosition At)>? _arrivals;
    private readonly bool _nested;
    private bool _givenUp;

    /// <param name="nested">A host for bytes inside another protocol (decrypted TLS): it names its
    /// own <see cref="App"/> and leaves the flow's alone.</param>
    public AnalyzerHost(Flow flow, ProtocolRegistry registry, bool nested = false)
    {
        _flow = flow;
        _registry = registry;
        _nested = nested;
    }

    public IStreamAnalyzer? Analyzer { get; private set; }

    /// <summary>The protocol chosen for these bytes ("unknown" until one is).</summary>
    public string App { get; private set; } = "unknown";


    public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame)
    {
        if (data.IsEmpty) return;
        var at = new StreamPosition(time, frame);
        if (Analyzer is not null)
        {
            Feed(from, data, at);
            return;
        }
        if (_givenUp) return;

        Held(from).Append(data);
        (_arrivals ??= []).Add((from, data.Length, at));
        Decide(final: Length(_client) >= ProbeBytes || Length(_server) >= ProbeBytes);
    }

    public void OnGap(FlowSide from, long length)
    {
        if (Analyzer is null)
        {
            // A hole before any byte of that side (a capture started mid-stream) loses nothing to probe.
            if (Length(Existing(from)) == 0) return;
            // Bytes before a hole cannot be probed as a stream any more.
            if (!_givenUp) Decide(final: true);
            if (Analyzer is null) return;
        }
        Existing(from)?.Clear();
        Analyzer.Gap(from, length);
    }

    /// <summary>The flow ended: decide with what there is, let the analyzer finish, and return the record with what it learned.</summary>
    public FlowRecord End(FlowRecord record)
    {
        if (Analyzer is null && !_givenUp) Decide(final: true);
        if (Analyzer is null) return PortGuess(record);
        Analyzer.End(record);
        _client?.Clear();
        _server?.Clear();
        return record with
        {
            App = Analyzer.Violation is null ? App : "unknown",
            Details = new Dictionary<string, object?> { [App] = Analyzer.Describe() },
            Notes = Analyzer.Violation is null ? record.Notes : [$"not {App}: {Analyzer.Violation}"],
        };
    }

    /// <summary>
    /// A flow that carried no payload at all cannot be recognised by content; like Wireshark and
    /// nDPI, name the protocol its server port belongs to, and say that this is only a guess.
    /// </summary>
    private FlowRecord PortGuess(FlowRecord record)
    {
        if (record.BytesClientToServer > 0 || record.BytesServerToClient > 0) return record;
        ProtocolDescriptor? owner = null;
        foreach (ProtocolDescriptor protocol in _registry.All)
        {
            if (!protocol.Ports.Contains(_flow.Server.Port)) continue;
            if (owner is not null) return record; // a port two protocols claim names neither
            owner = protocol;
        }
        if (owner is null) return record;
        _flow.App = owner.Name;
        return record with { App = owner.Name, Notes = [.. record.Notes, $"{owner.Name} by port {_flow.Server.Port} only: no payload to recognise"] };
    }

    private void Decide(bool final)
    {
        ProtocolDescriptor? chosen = ProtocolDetector.Choose(_registry, _flow.Server.Port, Bytes(_client), Bytes(_server), final, out bool undecided);
        if (chosen is null)
        {
            if (!undecided || final) GiveUp();
            return;
        }
        App = chosen.Name;
        if (!_nested) _flow.App = chosen.Name;
        Analyzer = chosen.Create(_flow);
        Replay();
    }

    /// <summary>Feeds the held opening bytes to the new analyzer in the order they arrived.</summary>
    private void Replay()
    {
        byte[] client = Bytes(_client).ToArray(), server = Bytes(_server).ToArray();
        _client?.Clear();
        _server?.Clear();
        int clientAt = 0, serverAt = 0;
        foreach (var (side, length, at) in _arrivals ?? [])
        {
            ReadOnlySpan<byte> chunk = side == FlowSide.Client ? client.AsSpan(clientAt, length) : server.AsSpan(serverAt, length);
            if (side == FlowSide.Client) clientAt += length;
            else serverAt += length;
            Feed(side, chunk, at);
        }
        _arrivals = null;
    }

    private void Feed(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
    {
        IStreamAnalyzer analyzer = Analyzer!;
        if (analyzer.Violation is not null) return;
        ByteQueue? held = Existing(from);
        if (held is null || held.Length == 0)
        {
            int used = analyzer.Consume(from, data, at);
            if (used == data.Length) return;
            held = Held(from);
            held.Append(data[used..]);
        }
        else
        {
            held.Append(data);
            held.Consume(analyzer.Consume(from, held.Span, at));
        }
        if (held.Length > MaxHeldBytes)
        {
            long dropped = held.Length;
            held.Clear();
            analyzer.Gap(from, dropped);
        }
    }

    private void GiveUp()
    {
        _givenUp = true;
        _arrivals = null;
        _client?.Clear();
        _server?.Clear();
    }

    /// <summary>The bytes held for <paramref name="side"/>, made if there are none yet.</summary>
    private ByteQueue Held(FlowSide side) => side == FlowSide.Client ? _client ??= new() : _server ??= new();

    private ByteQueue? Existing(FlowSide side) => side == FlowSide.Client ? _client : _server;

    private static int Length(ByteQueue? held) => held?.Length ?? 0;

    private static ReadOnlySpan<byte> Bytes(ByteQueue? held) => held is null ? default : held.Span;
}
