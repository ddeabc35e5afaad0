namespace XmppSniff.Analysis.Flows;

/// <summary>Table-wide counters for `summary`.</summary>
public sealed class FlowCounters
{
    public long TcpFlows;
    public long UdpFlows;
    public long FlowsEndedByTimeout;

    /// <summary>Flows ended early because <see cref="FlowLimits.MaxFlows"/> was reached.</summary>
    public long FlowsEvicted;

    /// <summary>Closed connections ended before their linger was over because <see cref="FlowLimits.MaxClosedFlows"/> were waiting.</summary>
    public long ClosedEndedEarly;

    public long PeakFlows;

    /// <summary>Packets whose timestamp is earlier than one already seen.</summary>
    public long TimeWentBackwards;
}
