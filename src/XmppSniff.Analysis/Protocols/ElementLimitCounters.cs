namespace XmppSniff.Analysis.Protocols;

/// <summary>
/// How often the bounds on one element were hit during a run, for `summary`: an analyzer that
/// truncates an oversized element or skips one nested too deep counts it here (atomically: analysing
/// threads share these).
/// </summary>
public sealed class ElementLimitCounters
{
    /// <summary>Elements larger than the element-size bound: kept as their start tag only.</summary>
    public long ElementsTruncated;

    /// <summary>Elements nested deeper than the depth bound: skipped to the next top-level element.</summary>
    public long ElementsTooDeep;
}
