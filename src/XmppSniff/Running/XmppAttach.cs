using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>Puts an XMPP probe and analyzer on every TCP flow (or only <paramref name="onlyFlow"/>) as it starts.</summary>
internal sealed class XmppAttach(Action<XmppElement> onElement, XmppOptions options, long? onlyFlow = null) : IFlowListener
{
    private readonly Dictionary<long, ProbingStreamSink> _sinks = [];

    public void FlowStarted(Flow flow)
    {
        if (flow.Protocol != IpProtocol.Tcp || (onlyFlow is { } id && flow.Id != id)) return;
        var sink = new ProbingStreamSink(flow, XmppProtocol.Create(onElement, options));
        _sinks[flow.Id] = sink;
        flow.Sink = sink;
    }

    public void FlowEnded(Flow flow, FlowRecord record)
    {
        if (_sinks.Remove(flow.Id, out ProbingStreamSink? sink)) sink.End(record);
    }
}
