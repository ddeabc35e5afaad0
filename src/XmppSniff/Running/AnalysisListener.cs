using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// Gives every flow an analyzer host (protocol detection, then the protocol's analyzer) and hands on
/// records that carry what it learned; what analyzers emit on the way (HTTP transactions, stanzas)
/// goes to <paramref name="output"/>.
/// </summary>
internal sealed class AnalysisListener(IFlowListener inner, ProtocolRegistry? registry = null, AnalyzerOutput? output = null)
    : IParallelFlowListener
{
    private readonly ProtocolRegistry _registry = registry ?? ProtocolRegistry.Default;

    public AnalyzerOutput Output { get; } = output ?? AnalyzerOutput.None;

    public void FlowStarted(Flow flow)
    {
        flow.Sink = new AnalyzerHost(flow, _registry);
        flow.Output = Output;
        inner.FlowStarted(flow);
    }

    public void FlowEnded(Flow flow, FlowRecord record) => HandOn(flow, Finish(flow, record));

    public FlowRecord Finish(Flow flow, FlowRecord record) => flow.Sink is AnalyzerHost host ? host.End(record) : record;

    public void HandOn(Flow flow, FlowRecord record) => inner.FlowEnded(flow, record);
}
