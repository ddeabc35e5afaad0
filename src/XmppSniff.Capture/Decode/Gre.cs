using System.Buffers.Binary;

namespace XmppSniff.Capture.Decode;

/// <summary>Reads a plain GRE header (RFC 2784 with RFC 2890 key and sequence) to reach the IP packet inside.</summary>
internal static class Gre
{
    /// <returns>Ok with the inner packet; Malformed when the payload is not IPv4/IPv6 or the header is a variant we skip.</returns>
    public static IpResult Parse(ReadOnlySpan<byte> data, int claimed, out ReadOnlySpan<byte> inner, out Network kind)
    {
        inner = default;
        kind = Network.ByVersion;
        if (data.Length < 4)
            return claimed < 4 ? IpResult.Malformed : IpResult.Short;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(data);
        // Version 1 is PPTP's enhanced GRE and the routing bit is obsolete source routing: neither is decoded.
        if ((flags & 0x0007) != 0 || (flags & 0x4000) != 0)
            return IpResult.Malformed;
        int length = 4;
        if ((flags & 0x8000) != 0)
            length += 4; // checksum + reserved
        if ((flags & 0x2000) != 0)
            length += 4; // key
        if ((flags & 0x1000) != 0)
            length += 4; // sequence number
        if (data.Length < length)
            return claimed < length ? IpResult.Malformed : IpResult.Short;

        switch (BinaryPrimitives.ReadUInt16BigEndian(data[2..]))
        {
            case 0x0800:
                kind = Network.Ipv4;
                break;
            case 0x86DD:
                kind = Network.Ipv6;
                break;
            default:
                return IpResult.Malformed;
        }
        inner = data[length..];
        return IpResult.Ok;
    }
}
