namespace XmppSniff.Analysis.Flows;

/// <summary>
/// An intrusive list of flows in order of last activity. All flows in one list share a
/// timeout, so the head is always the next to expire and expiry costs O(1) per flow.
/// </summary>
internal sealed class FlowList(TimeSpan timeout)
{
    public long TimeoutNs { get; } = timeout.Ticks * 100;

    public Flow? Head { get; private set; }

    private Flow? _tail;

    public void Append(Flow flow)
    {
        flow.List = this;
        flow.Prev = _tail;
        flow.Next = null;
        if (_tail is null) Head = flow;
        else _tail.Next = flow;
        _tail = flow;
    }

    public void Remove(Flow flow)
    {
        if (flow.Prev is null) Head = flow.Next;
        else flow.Prev.Next = flow.Next;
        if (flow.Next is null) _tail = flow.Prev;
        else flow.Next.Prev = flow.Prev;
        flow.Prev = flow.Next = null;
        flow.List = null;
    }

    /// <summary>Moves <paramref name="flow"/> to the tail of this list (from wherever it was).</summary>
    public void Touch(Flow flow)
    {
        if (flow.List == this && _tail == flow) return;
        flow.List?.Remove(flow);
        Append(flow);
    }
}
