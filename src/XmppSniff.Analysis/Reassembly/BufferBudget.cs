namespace XmppSniff.Analysis.Reassembly;

/// <summary>
/// Bounds the out-of-order bytes held: per connection and in total. When a segment would
/// exceed either bound the connection gives up waiting for its hole (counted as missed bytes).
/// </summary>
public sealed class BufferBudget(long perFlowLimit, long totalLimit)
{
    public long PerFlowLimit { get; } = perFlowLimit;

    public long TotalLimit { get; } = totalLimit;

    /// <summary>Bytes held right now across all connections.</summary>
    public long Held { get; private set; }

    /// <summary>Highest <see cref="Held"/> ever reached.</summary>
    public long PeakHeld { get; private set; }

    /// <summary>Times a hole was skipped because a bound was hit.</summary>
    public long LimitHits { get; private set; }

    internal bool Fits(long flowHeld, int length) =>
        flowHeld + length <= PerFlowLimit && Held + length <= TotalLimit;

    internal void Take(int length)
    {
        Held += length;
        if (Held > PeakHeld) PeakHeld = Held;
    }

    internal void Release(int length) => Held -= length;

    internal void CountLimitHit() => LimitHits++;
}
