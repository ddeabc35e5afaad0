using System.Buffers.Binary;
using XmppSniff.Core;

namespace XmppSniff.Capture.Decode;

/// <summary>Reads an IPv6 header and skips its extension headers.</summary>
internal static class Ipv6
{
    // RFC 8200 allows any number; real packets carry a few. The bound stops crafted chains.
    private const int MaxExtensionHeaders = 8;

    public static IpResult Parse(ReadOnlySpan<byte> data, out IpLayer ip)
    {
        ip = default;
        if (data.Length < 40)
            return IpResult.Short;
        if (data[0] >> 4 != 6)
            return IpResult.Malformed;

        int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        var payload = data[40..];
        if (payloadLength == 0)
            payloadLength = payload.Length; // jumbogram or offload: trust what was captured
        else if (payload.Length > payloadLength)
            payload = payload[..payloadLength]; // link padding

        ip.Source = Address.FromV6(data[8..]);
        ip.Destination = Address.FromV6(data[24..]);
        ip.Protocol = data[6];
        ip.Payload = payload;
        ip.PayloadLength = payloadLength;
        return SkipExtensions(ref ip);
    }

    /// <summary>
    /// Walks extension headers from <see cref="IpLayer.Protocol"/> over <see cref="IpLayer.Payload"/>. Also used on a
    /// reassembled payload, whose fragmentable part may start with more extension headers.
    /// </summary>
    public static IpResult SkipExtensions(ref IpLayer ip)
    {
        for (int count = 0; ; count++)
        {
            int length;
            switch (ip.Protocol)
            {
                case 0:  // hop-by-hop options
                case 43: // routing
                case 60: // destination options
                    if (!Has(ref ip, 2, out var r1))
                        return r1;
                    length = (ip.Payload[1] + 1) * 8;
                    break;
                case 51: // AH counts in 4-byte units, less 2
                    if (!Has(ref ip, 2, out var r2))
                        return r2;
                    length = (ip.Payload[1] + 2) * 4;
                    break;
                case 44:
                    if (!Has(ref ip, 8, out var r3))
                        return r3;
                    ushort offsetFlags = BinaryPrimitives.ReadUInt16BigEndian(ip.Payload[2..]);
                    int offset = offsetFlags & 0xFFF8;
                    bool more = (offsetFlags & 1) != 0;
                    if (offset != 0 || more)
                    {
                        // A real fragment: the rest only makes sense once reassembled.
                        ip.IsFragment = true;
                        ip.FragmentOffset = offset;
                        ip.MoreFragments = more;
                        ip.FragmentId = BinaryPrimitives.ReadUInt32BigEndian(ip.Payload[4..]);
                    }
                    length = 8; // an atomic fragment (offset 0, M=0) is just skipped
                    break;
                default:
                    // Upper layer, or ESP (50) / no next header (59) which end the walk as OtherIp.
                    return IpResult.Ok;
            }

            if (count >= MaxExtensionHeaders)
                return IpResult.Malformed;
            if (!Has(ref ip, length, out var r4))
                return r4;
            ip.Protocol = ip.Payload[0];
            ip.Payload = ip.Payload[length..];
            ip.PayloadLength -= length;
            if (ip.IsFragment)
                return IpResult.Ok;
        }
    }

    private static bool Has(ref IpLayer ip, int needed, out IpResult failure)
    {
        failure = IpResult.Ok;
        if (ip.PayloadLength < needed)
            failure = IpResult.Malformed;
        else if (ip.Payload.Length < needed)
            failure = IpResult.Short;
        return failure == IpResult.Ok;
    }
}
