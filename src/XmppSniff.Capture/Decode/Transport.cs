using System.Buffers.Binary;
using XmppSniff.Core;

namespace XmppSniff.Capture.Decode;

/// <summary>Reads TCP and UDP headers into the packet.</summary>
internal static class Transport
{
    /// <param name="segment">Captured bytes of the IP payload, already trimmed to <paramref name="claimed"/>.</param>
    /// <param name="claimed">IP payload length the IP header claims.</param>
    /// <param name="cut">Whether the snap length cut the frame: a short header is then Truncated, not Malformed.</param>
    public static DecodeStatus Tcp(ReadOnlySpan<byte> segment, int claimed, bool cut, ref Packet packet)
    {
        if (segment.Length < 20)
            return Short(claimed >= 20, cut);
        int headerLength = (segment[12] >> 4) * 4;
        if (headerLength < 20)
            return DecodeStatus.Malformed;
        if (segment.Length < headerLength)
            return Short(claimed >= headerLength, cut);

        packet.Source = new Endpoint(packet.Source.Address, BinaryPrimitives.ReadUInt16BigEndian(segment));
        packet.Destination = new Endpoint(packet.Destination.Address, BinaryPrimitives.ReadUInt16BigEndian(segment[2..]));
        packet.Sequence = BinaryPrimitives.ReadUInt32BigEndian(segment[4..]);
        packet.Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(segment[8..]);
        packet.Flags = (TcpFlags)segment[13];
        packet.Window = BinaryPrimitives.ReadUInt16BigEndian(segment[14..]);
        packet.Payload = segment[headerLength..];
        packet.PayloadLength = claimed - headerLength;
        return DecodeStatus.Transport;
    }

    public static DecodeStatus Udp(ReadOnlySpan<byte> datagram, int claimed, bool cut, ref Packet packet)
    {
        if (datagram.Length < 8)
            return Short(claimed >= 8, cut);
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]);
        if (length == 0 || length > claimed)
            length = claimed; // jumbo datagrams carry 0; a too-big field is not worth dropping the packet for
        else if (length < 8)
            return DecodeStatus.Malformed;

        packet.Source = new Endpoint(packet.Source.Address, BinaryPrimitives.ReadUInt16BigEndian(datagram));
        packet.Destination = new Endpoint(packet.Destination.Address, BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
        packet.Payload = datagram[8..Math.Min(length, datagram.Length)];
        packet.PayloadLength = length - 8;
        return DecodeStatus.Transport;
    }

    /// <summary>A header that does not fit: the snap length is to blame only if the headers above say the bytes exist.</summary>
    internal static DecodeStatus Short(bool withinClaim, bool cut) =>
        withinClaim && cut ? DecodeStatus.Truncated : DecodeStatus.Malformed;
}
