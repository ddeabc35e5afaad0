using XmppSniff.Core;

namespace XmppSniff.Analysis.Lifecycle;

/// <summary>Moves each endpoint's state on the flags it sends; the summary state is derived from the pair.</summary>
public static class TcpStateMachine
{
    /// <summary>Applies a segment with <paramref name="flags"/> sent by <paramref name="sender"/> to <paramref name="peer"/>.</summary>
    public static void Apply(TcpFlags flags, ref EndpointState sender, ref EndpointState peer)
    {
        if (sender == EndpointState.Reset) return;
        if ((flags & TcpFlags.Rst) != 0)
        {
            sender = EndpointState.Reset;
            return;
        }

        bool syn = (flags & TcpFlags.Syn) != 0;
        bool ack = (flags & TcpFlags.Ack) != 0;
        if (syn)
        {
            if (sender == EndpointState.Inactive) sender = ack ? EndpointState.SynAckSent : EndpointState.SynSent;
        }
        else if (ack || sender == EndpointState.Inactive)
        {
            switch (sender)
            {
                case EndpointState.Inactive:
                    // An ACK answering a SYN/ACK means we only missed this side's SYN.
                    if (peer == EndpointState.SynAckSent) Establish(ref sender, ref peer);
                    else sender = EndpointState.Partial;
                    break;
                case EndpointState.SynSent when peer is EndpointState.SynAckSent or EndpointState.Established or EndpointState.Partial:
                    Establish(ref sender, ref peer);
                    break;
                case EndpointState.SynAckSent when peer is EndpointState.Established:
                    sender = EndpointState.Established;
                    break;
            }
        }

        if ((flags & TcpFlags.Fin) != 0) sender = EndpointState.Closed;
    }

    private static void Establish(ref EndpointState sender, ref EndpointState peer)
    {
        sender = EndpointState.Established;
        if (peer is EndpointState.SynAckSent or EndpointState.SynSent) peer = EndpointState.Established;
    }
}
