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

    /// <summary>Of <see cref="LimitHits"/>, those where the connection's own bound was the one hit.</summary>
    public long PerFlowLimitHits { get; private set; }

    /// <summary>Of <see cref="LimitHits"/>, those where only the bound over all connections was hit.</summary>
    public long TotalLimitHits => LimitHits - PerFlowLimitHits;

    /// <summary>
    /// Held segments that overlap bytes already held with different contents (the first copy is
    /// kept): a sign of an evasion attempt or of damaged packets.
    /// </summary>
    public long OverlapConflicts { get; private set; }

    /// <summary>
    /// Retransmissions of bytes already delivered whose contents differ (the delivered copy is kept;
    /// Zeek's <c>rexmit_inconsistency</c>). Best effort, unlike <see cref="OverlapConflicts"/>:
    /// only the last few deliveries of each direction are remembered, by fingerprint.
    /// </summary>
    public long RetransmissionConflicts { get; private set; }

    private bool _lastMissPerFlow;

    internal bool Fits(long flowHeld, int length)
    {
        _lastMissPerFlow = flowHeld + length > PerFlowLimit;
        return !_lastMissPerFlow && Held + length <= TotalLimit;
    }

    internal void Take(int length)
    {
        Held += length;
        if (Held > PeakHeld) PeakHeld = Held;
    }

    internal void Release(int length) => Held -= length;

    /// <summary>Counts a hit of the bound the last <see cref="Fits"/> call found exceeded.</summary>
    internal void CountLimitHit()
    {
        LimitHits++;
        if (_lastMissPerFlow) PerFlowLimitHits++;
    }

    internal void CountOverlapConflict() => OverlapConflicts++;

    internal void CountRetransmissionConflict() => RetransmissionConflicts++;
}
