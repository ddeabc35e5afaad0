namespace XmppSniff.Core;

/// <summary>
/// Identifies a flow regardless of direction: the two endpoints are stored in a fixed order
/// (lower first), so a packet and its reply map to the same key.
/// </summary>
public readonly record struct FlowKey(Endpoint Low, Endpoint High, IpProtocol Protocol)
{
    public bool Equals(FlowKey other) => Protocol == other.Protocol && Low.Equals(other.Low) && High.Equals(other.High);

    // Written out: the compiler's record equality goes through EqualityComparer for every nested field.
    public override int GetHashCode() => (Low.GetHashCode() * -1640531535) ^ High.GetHashCode() ^ (int)Protocol;

    /// <summary>Builds the key for a packet from <paramref name="src"/> to <paramref name="dst"/>;
    /// <paramref name="srcIsLow"/> says which stored endpoint the sender is.</summary>
    public static FlowKey For(Endpoint src, Endpoint dst, IpProtocol protocol, out bool srcIsLow)
    {
        srcIsLow = src.CompareTo(dst) <= 0;
        return srcIsLow ? new FlowKey(src, dst, protocol) : new FlowKey(dst, src, protocol);
    }
}
