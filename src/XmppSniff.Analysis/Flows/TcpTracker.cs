using XmppSniff.Analysis.Lifecycle;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Flows;

/// <summary>Applies one TCP segment to its connection: state, history, stream bytes and anomaly counters.</summary>
internal static class TcpTracker
{
    /// <summary>Without a measured round trip, a hole filled within 3 ms counts as reordering (Wireshark's default).</summary>
    private const long DefaultReorderWindowNs = 3_000_000;

    public static void Apply(Flow flow, FlowSide from, ref Packet p)
    {
        FlowSideState sender = flow.SideOf(from), peer = flow.SideOf(Flow.Other(from));
        bool fromClient = from == FlowSide.Client;
        TcpFlags flags = p.Flags;
        bool syn = (flags & TcpFlags.Syn) != 0, ack = (flags & TcpFlags.Ack) != 0;
        bool fin = (flags & TcpFlags.Fin) != 0, rst = (flags & TcpFlags.Rst) != 0;
        int length = p.PayloadLength;

        sender.Packets++;
        RecordHistory(flow, fromClient, syn, ack, fin, rst, length);
        TrackHandshake(flow, fromClient, syn, ack, p.Time);
        TcpStateMachine.Apply(flags, ref sender.State, ref peer.State);
        if ((fin || rst) && flow.CloseKind is null)
        {
            flow.ClosedBy = from;
            flow.CloseKind = rst ? CloseKind.Rst : CloseKind.Fin;
        }
        if (p.Window == 0 && !rst && !syn)
        {
            sender.ZeroWindows++;
            flow.History.Add('W', fromClient);
        }

        StreamReassembler stream = sender.Stream!;
        uint seq = p.Sequence;
        if (syn)
        {
            if (sender.SynSeen && sender.Isn == seq) CountRetransmission(flow, sender, fromClient);
            sender.SynSeen = true;
            sender.Isn = seq;
            if (!stream.Started) stream.Start(seq + 1);
            seq++;
        }
        else if (!stream.Started && !rst)
        {
            stream.Start(seq);
        }

        if (length > 0 && !rst) AddPayload(flow, from, sender, stream, seq, ref p);
        else if (IsDuplicateAck(sender, peer, ack && !syn && !fin && !rst, p.Acknowledgment, p.Window)) sender.DuplicateAcks++;
        if (fin) stream.MarkFin(seq + (uint)length);

        if (ack && !rst)
        {
            StreamReassembler peerStream = peer.Stream!;
            if (!peerStream.Started) peerStream.Start(p.Acknowledgment);
            else peerStream.Acknowledged(p.Acknowledgment, flow.Sink);
            sender.HasAck = true;
            sender.LastAck = p.Acknowledgment;
            sender.LastWindow = p.Window;
        }
    }

    private static void AddPayload(Flow flow, FlowSide from, FlowSideState sender, StreamReassembler stream, uint seq, ref Packet p)
    {
        // A keep-alive re-sends the last byte (or none) just to provoke an ACK: not a retransmission.
        if (p.PayloadLength <= 1 && seq == stream.NextSeq - 1 && !stream.HasPending)
        {
            sender.KeepAlives++;
            return;
        }
        long window = flow.HandshakeRttNs > 0 ? flow.HandshakeRttNs : DefaultReorderWindowNs;
        SegmentKind kind = stream.Add(seq, p.Payload, p.PayloadLength, p.Time, p.Number, window, flow.Sink, p.PayloadFingerprint);
        bool fromClient = from == FlowSide.Client;
        switch (kind)
        {
            case SegmentKind.Retransmission:
                CountRetransmission(flow, sender, fromClient);
                return;
            case SegmentKind.OutOfOrder:
                sender.OutOfOrder++;
                break;
        }
        flow.CountData(from);
    }

    private static void CountRetransmission(Flow flow, FlowSideState sender, bool fromClient)
    {
        sender.Retransmissions++;
        flow.History.Add('T', fromClient);
    }

    /// <summary>The same ACK and window again, carrying nothing, while the peer has bytes outstanding (as Wireshark).</summary>
    private static bool IsDuplicateAck(FlowSideState sender, FlowSideState peer, bool pureAck, uint ack, ushort window) =>
        pureAck && sender.HasAck && ack == sender.LastAck && window == sender.LastWindow
        && peer.Stream!.Started && Seq.Gt(peer.Stream.NextSeq, ack);

    private static void RecordHistory(Flow flow, bool fromClient, bool syn, bool ack, bool fin, bool rst, int length)
    {
        if (syn) flow.History.Add(ack ? 'H' : 'S', fromClient);
        if (fin) flow.History.Add('F', fromClient);
        if (rst) flow.History.Add('R', fromClient);
        if (length > 0) flow.History.Add('D', fromClient);
        else if (ack && !syn && !fin && !rst) flow.History.Add('A', fromClient);
    }

    private static void TrackHandshake(Flow flow, bool fromClient, bool syn, bool ack, long time)
    {
        if (!fromClient) return;
        if (syn && !ack)
        {
            if (flow.SynTime < 0) flow.SynTime = time;
        }
        else if (ack && !syn && flow.SynTime >= 0 && flow.HandshakeRttNs < 0 && flow.ServerSide.SynSeen)
        {
            flow.HandshakeRttNs = time - flow.SynTime;
        }
    }
}
