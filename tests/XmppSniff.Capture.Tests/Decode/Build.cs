using System.Buffers.Binary;
using System.Net;
using XmppSniff.Capture.Decode;
using XmppSniff.Core;

namespace XmppSniff.Capture.Tests.Decode;

/// <summary>Hand-written packet builders: exact control over every field a test wants to break.</summary>
internal static class Build
{
    public const string V4Src = "192.0.2.1", V4Dst = "198.51.100.2";
    public const string V6Src = "2001:db8::1", V6Dst = "2001:db8::2";

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static byte[] Bytes(int count, byte seed = 0) => Enumerable.Range(0, count).Select(i => (byte)(i * 7 + seed)).ToArray();

    public static byte[] Tcp(ushort sport, ushort dport, byte[] payload, uint seq = 1000, uint ack = 2000,
        TcpFlags flags = TcpFlags.Ack | TcpFlags.Psh, ushort window = 512, int dataOffsetWords = 5)
    {
        int headerLength = Math.Max(dataOffsetWords, 0) * 4;
        var b = new byte[Math.Max(headerLength, 20) + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(b, sport);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), seq);
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(8), ack);
        b[12] = (byte)(dataOffsetWords << 4);
        b[13] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(14), window);
        payload.CopyTo(b, Math.Max(headerLength, 20));
        return b;
    }

    public static byte[] Udp(ushort sport, ushort dport, byte[] payload, int? lengthField = null)
    {
        var b = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(b, sport);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), dport);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), (ushort)(lengthField ?? b.Length));
        payload.CopyTo(b, 8);
        return b;
    }

    public static byte[] Ipv4(byte protocol, byte[] payload, string src = V4Src, string dst = V4Dst, ushort id = 1,
        int fragmentOffset = 0, bool moreFragments = false, int? totalLength = null, int ihlWords = 5)
    {
        int headerLength = Math.Max(ihlWords, 5) * 4;
        var b = new byte[headerLength + payload.Length];
        b[0] = (byte)(0x40 | ihlWords);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)(totalLength ?? b.Length));
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(6), (ushort)((moreFragments ? 0x2000 : 0) | (fragmentOffset / 8)));
        b[8] = 64;
        b[9] = protocol;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(b, 12);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(b, 16);
        payload.CopyTo(b, headerLength);
        return b;
    }

    public static byte[] Ipv6(byte next, byte[] payload, string src = V6Src, string dst = V6Dst, int? payloadLength = null)
    {
        var b = new byte[40 + payload.Length];
        b[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), (ushort)(payloadLength ?? payload.Length));
        b[6] = next;
        b[7] = 64;
        IPAddress.Parse(src).GetAddressBytes().CopyTo(b, 8);
        IPAddress.Parse(dst).GetAddressBytes().CopyTo(b, 24);
        payload.CopyTo(b, 40);
        return b;
    }

    /// <summary>Hop-by-hop / routing / destination options header of (units+1)*8 bytes.</summary>
    public static byte[] Options(byte next, int units = 0)
    {
        var b = new byte[(units + 1) * 8];
        b[0] = next;
        b[1] = (byte)units;
        return b;
    }

    public static byte[] Ipv6Fragment(byte next, int offset, bool more, uint id)
    {
        var b = new byte[8];
        b[0] = next;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)(offset | (more ? 1 : 0)));
        BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(4), id);
        return b;
    }

    public static byte[] Ether(ushort etherType, byte[] payload, params ushort[] vlanTpids)
    {
        var header = new List<byte>();
        header.AddRange(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 });
        for (int i = 0; i < vlanTpids.Length; i++)
            header.AddRange(new byte[] { (byte)(vlanTpids[i] >> 8), (byte)vlanTpids[i], 0, (byte)(10 + i) });
        header.Add((byte)(etherType >> 8));
        header.Add((byte)etherType);
        return Concat(header.ToArray(), payload);
    }

    public static ushort EtherTypeOf(byte[] ip) => ip[0] >> 4 == 6 ? (ushort)0x86DD : (ushort)0x0800;

    public static byte[] V4Tcp(byte[] payload) => Ipv4(6, Tcp(40000, 5222, payload));
    public static byte[] V4Udp(byte[] payload) => Ipv4(17, Udp(5353, 53, payload));
    public static byte[] V6Tcp(byte[] payload) => Ipv6(6, Tcp(40000, 5222, payload));
    public static byte[] V6Udp(byte[] payload) => Ipv6(17, Udp(5353, 53, payload));

    public static RawFrame Frame(LinkType linkType, byte[] data, int? originalLength = null, long time = 0, long number = 1) =>
        new(number, time, linkType, 0, originalLength ?? data.Length, data);

    /// <summary>Decodes and copies out what tests compare, since <see cref="Packet"/> cannot leave the stack.</summary>
    public static Decoded Run(FrameDecoder decoder, LinkType linkType, byte[] data, int? originalLength = null, long time = 0, long number = 1)
    {
        var frame = Frame(linkType, data, originalLength, time, number);
        var status = decoder.Decode(frame, out var p);
        return new Decoded(status, p.Number, p.Time, p.Source, p.Destination, p.Protocol, p.Sequence, p.Acknowledgment,
            p.Flags, p.Window, p.Payload.ToArray(), p.PayloadLength, p.FrameLength);
    }

    public static Decoded Run(LinkType linkType, byte[] data, int? originalLength = null) =>
        Run(new FrameDecoder(), linkType, data, originalLength);
}

internal sealed record Decoded(DecodeStatus Status, long Number, long Time, Endpoint Source, Endpoint Destination,
    IpProtocol Protocol, uint Sequence, uint Acknowledgment, TcpFlags Flags, ushort Window, byte[] Payload,
    int PayloadLength, int FrameLength);
