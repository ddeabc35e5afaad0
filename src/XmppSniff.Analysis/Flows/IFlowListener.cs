using XmppSniff.Core;

namespace XmppSniff.Analysis.Flows;

/// <summary>Told when flows begin and end; analyzers attach to a flow's <see cref="Flow.Sink"/> when it starts.</summary>
public interface IFlowListener
{
    void FlowStarted(Flow flow);

    void FlowEnded(Flow flow, FlowRecord record);
}
