using XmppSniff.Core;

namespace XmppSniff.Capture.Decode;

internal enum IpResult : byte
{
    Ok,

    /// <summary>A header runs past the captured bytes but not past what the enclosing header claims.</summary>
    Short,
    Malformed,
}

/// <summary>What an IPv4 or IPv6 header (with IPv6 extension headers skipped) says about its payload.</summary>
internal ref struct IpLayer
{
    public Address Source;
    public Address Destination;

    /// <summary>The upper-layer protocol (for a fragment: of the whole datagram).</summary>
    public byte Protocol;

    /// <summary>The captured payload, trimmed to the claimed length (link padding removed).</summary>
    public ReadOnlySpan<byte> Payload;

    /// <summary>The payload length the header claims.</summary>
    public int PayloadLength;

    public bool IsFragment;
    public int FragmentOffset;
    public bool MoreFragments;
    public uint FragmentId;
}
