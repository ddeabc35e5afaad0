using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>Counts finished flows by protocol, state, kind and app, for `summary`; XMPP ones also in <see cref="Xmpp"/>.</summary>
internal sealed class FlowTally : IFlowListener
{
    public SortedDictionary<string, long> ByProtocol { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByState { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByKind { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByApp { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByClose { get; } = new(StringComparer.Ordinal);
    public long Flows { get; private set; }
    public long MissedBytes { get; private set; }
    public long Retransmissions { get; private set; }

    /// <summary>The XMPP sessions among the flows, and (fed by the caller) their elements.</summary>
    public XmppTally Xmpp { get; } = new();

    /// <summary>HTTP transactions (fed by the caller).</summary>
    public HttpTally Http { get; } = new();

    public void FlowStarted(Flow flow)
    {
    }

    public void FlowEnded(Flow flow, FlowRecord record)
    {
        Flows++;
        MissedBytes += record.MissedBytes;
        Retransmissions += record.Retransmissions;
        string proto = Output.Formats.Protocol(record.Protocol);
        Breakdown.Count(ByProtocol, proto);
        Breakdown.Count(ByState, $"{proto} {record.State}");
        Breakdown.Count(ByKind, Output.Formats.Lower(record.Kind));
        Breakdown.Count(ByApp, record.App);
        Breakdown.Count(ByClose, Output.Formats.Lower(record.Close));
        Xmpp.Add(record);
    }
}
