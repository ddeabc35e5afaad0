using XmppSniff.Analysis.Lifecycle;
using XmppSniff.Analysis.Reassembly;

namespace XmppSniff.Analysis.Flows;

/// <summary>What one side of a flow sent: its TCP state, its byte stream and its anomalies.</summary>
internal sealed class FlowSideState(StreamReassembler? stream)
{
    public EndpointState State;
    public long Packets;
    public long DatagramBytes;
    public int DataBursts;

    public readonly StreamReassembler? Stream = stream;
    public bool SynSeen;
    public uint Isn;

    public long Retransmissions;
    public long OutOfOrder;
    public long DuplicateAcks;
    public long ZeroWindows;
    public long KeepAlives;

    public bool HasAck;
    public uint LastAck;
    public ushort LastWindow;

    /// <summary>Payload bytes in sequence space: delivered plus missed.</summary>
    public long Bytes => Stream is null ? DatagramBytes : Stream.DeliveredBytes + Stream.MissedBytes;
}
