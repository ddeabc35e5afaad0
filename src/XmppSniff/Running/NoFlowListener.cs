using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>For commands that want the analyzers' records, not the flow summaries.</summary>
internal sealed class NoFlowListener : IFlowListener
{
    public void FlowStarted(Flow flow)
    {
    }

    public void FlowEnded(Flow flow, FlowRecord record)
    {
    }
}
