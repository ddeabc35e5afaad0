using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>Gives every flow an analyzer host (protocol detection, then the protocol's analyzer) and hands on records that carry what it learned.</summary>
internal sealed class AnalysisListener(IFlowListener inner, ProtocolRegistry? registry = null) : IFlowListener
{
    private readonly ProtocolRegistry _registry = registry ?? ProtocolRegistry.Default;

    public void FlowStarted(Flow flow)
    {
        flow.Sink = new AnalyzerHost(flow, _registry);
        inner.FlowStarted(flow);
    }

    public void FlowEnded(Flow flow, FlowRecord record) =>
        inner.FlowEnded(flow, flow.Sink is AnalyzerHost host ? host.End(record) : record);
}
