using System.Buffers.Binary;

namespace XmppSniff.Capture.Decode;

/// <summary>
/// Reads a GTPv1-U header (3GPP TS 29.281), the tunnel a mobile network's core carries its subscribers' IP packets
/// in over UDP port 2152, to reach the packet inside. Only a G-PDU whose length field matches its datagram and whose
/// payload starts as IPv4 or IPv6 counts: anything else on the port stays plain UDP.
/// </summary>
internal static class Gtp
{
    public const ushort UserPlanePort = 2152;

    private const byte GPdu = 0xFF;

    /// <param name="data">The UDP payload as captured.</param>
    /// <param name="claimed">Its length by the UDP header.</param>
    /// <returns>Ok with the inner packet; Short when the bytes at hand agree with GTP so far but end before its payload; else Malformed.</returns>
    public static IpResult Parse(ReadOnlySpan<byte> data, int claimed, out ReadOnlySpan<byte> inner)
    {
        inner = default;
        // Version 1 with the protocol type bit set (GTP, not GTP'), carrying a user packet.
        if (data.Length >= 1 && (data[0] >> 5 != 1 || (data[0] & 0x10) == 0)) return IpResult.Malformed;
        if (data.Length >= 2 && data[1] != GPdu) return IpResult.Malformed;
        // The length counts every byte after the first 8, optional fields and extension headers included.
        if (data.Length >= 4 && 8 + BinaryPrimitives.ReadUInt16BigEndian(data[2..]) != claimed) return IpResult.Malformed;
        if (claimed < 9) return IpResult.Malformed;
        if (data.Length < 8) return IpResult.Short;

        int at = 8;
        if ((data[0] & 0x07) != 0)
        {
            // Sequence number, N-PDU number and the first extension header type come together when any flag is set.
            at = 12;
            if (data.Length < at) return claimed < at ? IpResult.Malformed : IpResult.Short;
            byte next = data[11];
            while (next != 0)
            {
                // Each extension header: its length in 4-byte units (the length byte included), then its content, ending with the next type.
                if (data.Length <= at) return claimed <= at ? IpResult.Malformed : IpResult.Short;
                int units = data[at];
                if (units == 0) return IpResult.Malformed;
                at += units * 4;
                if (data.Length < at) return claimed < at ? IpResult.Malformed : IpResult.Short;
                next = data[at - 1];
            }
        }
        if (data.Length <= at) return claimed <= at ? IpResult.Malformed : IpResult.Short;
        if (data[at] >> 4 is not (4 or 6)) return IpResult.Malformed;
        inner = data[at..];
        return IpResult.Ok;
    }
}
