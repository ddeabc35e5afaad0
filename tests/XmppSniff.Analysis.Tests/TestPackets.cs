using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests;

/// <summary>Hands one hand-made TCP segment or UDP datagram to a flow table, as the decoder would.</summary>
internal static class TestPackets
{
    public static void Send(FlowTable table, long number, long ms, Endpoint from, Endpoint to, IpProtocol protocol,
        uint seq, uint ack, TcpFlags flags, byte[] data, ushort window = 1000)
    {
        var p = new Packet
        {
            Number = number,
            Time = ms * 1_000_000,
            Source = from,
            Destination = to,
            Protocol = protocol,
            Sequence = seq,
            Acknowledgment = ack,
            Flags = flags,
            Window = window,
            Payload = data,
            PayloadLength = data.Length,
            FrameLength = 54 + data.Length,
        };
        table.Process(ref p);
    }
}
