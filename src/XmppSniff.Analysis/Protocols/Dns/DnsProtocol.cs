using System.Buffers.Binary;
using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Dns;

/// <summary>
/// "dns": DNS, mDNS and LLMNR over UDP, and DNS over TCP (2-byte length first). On any port a
/// message must be a plain query or answer that fills its datagram exactly; random bytes rarely do.
/// </summary>
public static class DnsProtocol
{
    public static ProtocolDescriptor Descriptor { get; } = new("dns", new HashSet<ushort> { 53, 5353, 5355 }, Probe, Create, ProbeOnPort);

    /// <summary>On DNS ports a plausible header is enough (as nDPI judges): damaged messages are still DNS, counted as malformed.</summary>
    public static ProbeResult ProbeOnPort(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        ReadOnlySpan<byte> first = client.IsEmpty ? server : client;
        if (Probe(client, server) == ProbeResult.Yes) return ProbeResult.Yes;
        if (first.Length < 12) return ProbeResult.NeedMore;
        int opcode = (first[2] >> 3) & 0xF;
        return opcode is 3 or > 6 ? ProbeResult.No : ProbeResult.Yes;
    }

    public static ProbeResult Probe(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        ReadOnlySpan<byte> first = client.IsEmpty ? server : client;
        if (first.IsEmpty) return ProbeResult.NeedMore;
        // A UDP datagram: the probe sees it alone, since every probe answers on the first one.
        if (DnsMessage.TryParse(first, strict: true, out _)) return ProbeResult.Yes;
        // A TCP stream: a length, then the message.
        if (first.Length < 2) return ProbeResult.NeedMore;
        int length = BinaryPrimitives.ReadUInt16BigEndian(first);
        if (length < 12) return ProbeResult.No;
        if (first.Length - 2 < length) return length <= AnalyzerHostLimit ? ProbeResult.NeedMore : ProbeResult.No;
        return DnsMessage.TryParse(first.Slice(2, length), strict: true, out _) ? ProbeResult.Yes : ProbeResult.No;
    }

    /// <summary>Bytes a probe may wait for (the host holds 4 KiB while probing).</summary>
    private const int AnalyzerHostLimit = 4000;

    private static IStreamAnalyzer Create(Flow flow) => new DnsAnalyzer(flow.Protocol == IpProtocol.Tcp);
}
