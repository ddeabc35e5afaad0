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
    public static ProtocolDescriptor Descriptor { get; } = new("stun", new HashSet<ushort> { 3478, 3479, 5349, 19302 }, Probe, Create);

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
