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

    // Counted per frame, so an array indexed by the link type rather than a dictionary lookup; every registered
    // LINKTYPE worth decoding is below 512. Rarer values go to a dictionary.
    private readonly long[] _byLinkType = new long[512];
    private Dictionary<LinkType, long>? _otherLinkTypes;

    /// <summary>Frames per link type seen (a snapshot, built when read).</summary>
    public IReadOnlyDictionary<LinkType, long> ByLinkType
    {
        get
        {
            var snapshot = _otherLinkTypes is null ? new Dictionary<LinkType, long>() : new Dictionary<LinkType, long>(_otherLinkTypes);
            for (int i = 0; i < _byLinkType.Length; i++)
            {
                if (_byLinkType[i] != 0)
                    snapshot[(LinkType)i] = _byLinkType[i];
            }
            return snapshot;
        }
    }

    internal void CountLinkType(LinkType linkType)
    {
        uint index = (uint)linkType;
        if (index < (uint)_byLinkType.Length)
        {
            _byLinkType[index]++;
            return;
        }
        _otherLinkTypes ??= new Dictionary<LinkType, long>();
        CollectionsMarshal.GetValueRefOrAddDefault(_otherLinkTypes, linkType, out _)++;
    }

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
