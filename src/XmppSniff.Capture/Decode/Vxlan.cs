namespace XmppSniff.Capture.Decode;

/// <summary>
/// Reads a VXLAN header (RFC 7348), the tunnel data centres and overlay networks carry Ethernet frames in over UDP
/// port 4789, to reach the frame inside. Only a datagram to the port whose header has the VNI flag set and which
/// is long enough for an Ethernet header counts: anything else stays plain UDP.
/// </summary>
internal static class Vxlan
{
    public const ushort Port = 4789;

    private const int HeaderLength = 8;
    private const int EthernetHeaderLength = 14;
    private const byte VniFlag = 0x08;

    /// <param name="data">The UDP payload as captured.</param>
    /// <param name="claimed">Its length by the UDP header.</param>
    /// <returns>Ok with the inner Ethernet frame; Short when the header is cut off; else Malformed.</returns>
    public static IpResult Parse(ReadOnlySpan<byte> data, int claimed, out ReadOnlySpan<byte> frame)
    {
        frame = default;
        if (claimed < HeaderLength + EthernetHeaderLength) return IpResult.Malformed;
        if (data.Length >= 1 && (data[0] & VniFlag) == 0) return IpResult.Malformed;
        if (data.Length < HeaderLength) return IpResult.Short;
        frame = data[HeaderLength..];
        return IpResult.Ok;
    }
}
