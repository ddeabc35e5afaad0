namespace XmppSniff.Capture.Decode;

public enum DecodeStatus
{
    /// <summary>A TCP segment or UDP datagram; the packet is filled.</summary>
    Transport,

    /// <summary>IP, but neither TCP nor UDP (ICMP and others); addresses and protocol are filled.</summary>
    OtherIp,

    /// <summary>A fragment held for reassembly; the datagram comes with a later fragment.</summary>
    FragmentHeld,

    /// <summary>Not IP (ARP, LLDP, ...).</summary>
    NotIp,

    /// <summary>A link type the decoder does not know.</summary>
    UnsupportedLinkType,

    /// <summary>A header is cut short by the snap length (the frame's captured bytes are fewer than its wire length).</summary>
    Truncated,

    /// <summary>A header contradicts itself (bad version, bad length fields), or does not fit in a frame that was not cut.</summary>
    Malformed,
}
