using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Stun;

/// <summary>
/// "stun": STUN and TURN (what XMPP calls use to cross NATs), recognised by content on any port:
/// the magic cookie 0x2112A442 at offset 4, a length that is a multiple of 4 and attributes that
/// fill it exactly; classic RFC 3489 binding messages (no cookie) too.
/// </summary>
public static class StunProtocol
{
    public static ProtocolDescriptor Descriptor { get; } = new("stun", new HashSet<ushort> { 3478, 3479, 5349, 19302 }, Probe, Create, ProbeOnPort);

    /// <summary>On STUN ports the magic cookie and a length that fits are enough: WhatsApp sends lengths that are not multiples of 4.</summary>
    public static ProbeResult ProbeOnPort(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        ReadOnlySpan<byte> first = client.IsEmpty ? server : client;
        if (Probe(client, server) == ProbeResult.Yes) return ProbeResult.Yes;
        if (first.Length < StunMessage.HeaderLength) return ProbeResult.NeedMore;
        bool cookie = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(first[4..]) == StunMessage.MagicCookie;
        int length = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(first[2..]);
        return cookie && (first[0] & 0xC0) == 0 && StunMessage.HeaderLength + length <= first.Length ? ProbeResult.Yes : ProbeResult.No;
    }

    public static ProbeResult Probe(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        ReadOnlySpan<byte> first = client.IsEmpty ? server : client;
        if (first.IsEmpty) return ProbeResult.NeedMore;
        return StunMessage.Measure(first) switch
        {
            < 0 => ProbeResult.NeedMore,
            0 => ProbeResult.No,
            _ => ProbeResult.Yes,
        };
    }

    private static IStreamAnalyzer Create(Flow flow) => new StunAnalyzer(flow.Protocol == IpProtocol.Tcp);
}
