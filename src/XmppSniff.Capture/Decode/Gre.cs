using System.Buffers.Binary;

namespace XmppSniff.Capture.Decode;

/// <summary>What a GRE header says follows it.</summary>
internal enum GrePayload : byte
{
    Ipv4,
    Ipv6,

    /// <summary>An Ethernet frame: bridged (Transparent Ethernet Bridging) or a switch's mirrored port (ERSPAN).</summary>
    Ethernet,
}

/// <summary>
/// Reads a plain GRE header (RFC 2784 with RFC 2890 key and sequence) to reach the packet inside: an IP packet, or
/// an Ethernet frame when bridged or mirrored by a switch (ERSPAN types I, II and III, whose own header is skipped).
/// </summary>
internal static class Gre
{
    private const ushort TransparentEthernetBridging = 0x6558;
    private const ushort ErspanTypeTwo = 0x88BE; // type I too, without GRE's sequence number
    private const ushort ErspanTypeThree = 0x22EB;

    /// <returns>Ok with the inner packet; Short when cut before it; Malformed when the payload is something else or the header a variant we skip.</returns>
    public static IpResult Parse(ReadOnlySpan<byte> data, int claimed, out ReadOnlySpan<byte> inner, out GrePayload payload)
    {
        inner = default;
        payload = GrePayload.Ethernet;
        if (data.Length < 4)
            return claimed < 4 ? IpResult.Malformed : IpResult.Short;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(data);
        // Version 1 is PPTP's enhanced GRE and the routing bit is obsolete source routing: neither is decoded.
        if ((flags & 0x0007) != 0 || (flags & 0x4000) != 0)
            return IpResult.Malformed;
        bool sequenced = (flags & 0x1000) != 0;
        int length = 4;
        if ((flags & 0x8000) != 0)
            length += 4; // checksum + reserved
        if ((flags & 0x2000) != 0)
            length += 4; // key
        if (sequenced)
            length += 4; // sequence number
        if (data.Length < length)
            return claimed < length ? IpResult.Malformed : IpResult.Short;

        switch (BinaryPrimitives.ReadUInt16BigEndian(data[2..]))
        {
            case 0x0800:
                payload = GrePayload.Ipv4;
                break;
            case 0x86DD:
                payload = GrePayload.Ipv6;
                break;
            case TransparentEthernetBridging:
                break;
            case ErspanTypeTwo when sequenced:
                // Type II: an 8-byte header of version 1 (session, VLAN, port index) before the mirrored frame.
                if (data.Length <= length)
                    return claimed <= length ? IpResult.Malformed : IpResult.Short;
                if (data[length] >> 4 != 1)
                    return IpResult.Malformed;
                length += 8;
                break;
            case ErspanTypeTwo:
                break; // type I: the mirrored frame right after GRE
            case ErspanTypeThree:
                // Type III: a 12-byte header of version 2, then 8 bytes more when its last bit (O) says a platform subheader follows.
                if (data.Length < length + 12)
                    return claimed < length + 12 ? IpResult.Malformed : IpResult.Short;
                if (data[length] >> 4 != 2)
                    return IpResult.Malformed;
                length += (data[length + 11] & 0x01) != 0 ? 20 : 12;
                break;
            default:
                return IpResult.Malformed;
        }
        if (length > claimed)
            return IpResult.Malformed;
        inner = data[Math.Min(length, data.Length)..];
        return IpResult.Ok;
    }
}
