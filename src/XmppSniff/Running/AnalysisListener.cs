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
internal sealed class AnalysisListener(IFlowListener inner, ProtocolRegistry? registry = null, AnalyzerOutput? output = null) : IFlowListener
{
    private readonly ProtocolRegistry _registry = registry ?? ProtocolRegistry.Default;
    private readonly AnalyzerOutput _output = output ?? AnalyzerOutput.None;

    public void FlowStarted(Flow flow)
    {
        flow.Sink = new AnalyzerHost(flow, _registry);
        flow.Output = _output;
        inner.FlowStarted(flow);
    }

    public void FlowEnded(Flow flow, FlowRecord record) =>
        inner.FlowEnded(flow, flow.Sink is AnalyzerHost host ? host.End(record) : record);
}
