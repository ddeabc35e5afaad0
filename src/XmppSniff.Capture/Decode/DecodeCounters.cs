using System.Runtime.InteropServices;

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

    /// <summary>Frames whose outermost network header is IPv4 / IPv6.</summary>
    public long Ipv4;
    public long Ipv6;

    /// <summary>Packets handed out per transport (after tunnels and reassembly); ICMP counts ICMPv4 and ICMPv6.</summary>
    public long Tcp;
    public long Udp;
    public long Icmp;

    /// <summary>Datagrams rebuilt from fragments.</summary>
    public long DatagramsReassembled;

    /// <summary>Fragments given up on: timed out, evicted, over the size bound, or cut by the snap length.</summary>
    public long FragmentsDropped;

    /// <summary>Fragments whose bytes contradict bytes already held (the first copy wins).</summary>
    public long FragmentOverlaps;

    /// <summary>Pending datagrams thrown out because too many were pending.</summary>
    public long DatagramsEvicted;

    /// <summary>Pending datagrams thrown out because they were older than the reassembly timeout.</summary>
    public long DatagramsTimedOut;

    /// <summary>Frames per link type. The key is added once per link type, so counting does not allocate.</summary>
    public Dictionary<LinkType, long> ByLinkType { get; } = new();

    internal void CountLinkType(LinkType linkType) =>
        CollectionsMarshal.GetValueRefOrAddDefault(ByLinkType, linkType, out _)++;

    internal void CountStatus(DecodeStatus status)
    {
        switch (status)
        {
            case DecodeStatus.Transport: Transport++; break;
            case DecodeStatus.OtherIp: OtherIp++; break;
            case DecodeStatus.FragmentHeld: FragmentsHeld++; break;
            case DecodeStatus.NotIp: NotIp++; break;
            case DecodeStatus.UnsupportedLinkType: UnsupportedLinkType++; break;
            case DecodeStatus.Truncated: Truncated++; break;
            default: Malformed++; break;
        }
    }
}
