namespace XmppSniff.Capture.Decode;

/// <summary>What the decoder saw, for `summary`: every frame lands in exactly one status counter.</summary>
public sealed class DecodeCounters
{
    public long Frames;
    public long Transport;
    public long OtherIp;
    public long FragmentsHeld;
    public long NotIp;
    public long UnsupportedLinkType;
    public long Truncated;
    public long Malformed;

    public long Ipv4;
    public long Ipv6;
    public long Tcp;
    public long Udp;
    public long Icmp;

    /// <summary>Datagrams rebuilt from fragments.</summary>
    public long DatagramsReassembled;

    /// <summary>Fragments given up on: timed out, over the bound, or contradicting earlier ones.</summary>
    public long FragmentsDropped;
}
