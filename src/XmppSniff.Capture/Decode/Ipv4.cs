using System.Buffers.Binary;
using XmppSniff.Core;

namespace XmppSniff.Capture.Decode;

/// <summary>Reads an IPv4 header.</summary>
internal static class Ipv4
{
    public static IpResult Parse(ReadOnlySpan<byte> data, out IpLayer ip)
    {
        ip = default;
        if (data.Length < 20)
            return IpResult.Short;
        if (data[0] >> 4 != 4)
            return IpResult.Malformed;
        int headerLength = (data[0] & 0x0F) * 4;
        if (headerLength < 20)
            return IpResult.Malformed;
        if (data.Length < headerLength)
            return IpResult.Short;

        int totalLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if (totalLength == 0)
            totalLength = data.Length; // segmentation offload: the NIC fills the length in later
        else if (totalLength < headerLength)
            return IpResult.Malformed;

        // Trim link padding; a snap length cut leaves fewer bytes than claimed, which is fine.
        int end = Math.Min(totalLength, data.Length);
        ip.Payload = data[headerLength..end];
        ip.PayloadLength = totalLength - headerLength;
        ip.Protocol = data[9];
        ip.Source = Address.FromV4(data[12..]);
        ip.Destination = Address.FromV4(data[16..]);

        ushort flagsOffset = BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        ip.MoreFragments = (flagsOffset & 0x2000) != 0;
        ip.FragmentOffset = (flagsOffset & 0x1FFF) * 8;
        ip.IsFragment = ip.MoreFragments || ip.FragmentOffset != 0;
        ip.FragmentId = BinaryPrimitives.ReadUInt16BigEndian(data[4..]);
        return IpResult.Ok;
    }
}
