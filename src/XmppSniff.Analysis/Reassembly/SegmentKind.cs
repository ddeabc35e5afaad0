namespace XmppSniff.Analysis.Reassembly;

/// <summary>What a segment turned out to be, for the per-flow counters.</summary>
public enum SegmentKind
{
    /// <summary>New bytes at the expected place.</summary>
    InOrder,

    /// <summary>New bytes that filled a hole soon after later bytes arrived (reordered on the way).</summary>
    OutOfOrder,

    /// <summary>Bytes seen before, or a hole filled long after (a resend).</summary>
    Retransmission,

    /// <summary>Bytes past a hole, held until the hole fills.</summary>
    Held,
}
