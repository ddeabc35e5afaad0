namespace XmppSniff.Analysis.Flows;

/// <summary>
/// Flows sharing one timeout, in the order they were last placed here. Packets do not move a flow
/// (that would touch two other flows' memory per packet); the expiry scan does, lazily: a head
/// that is not idle after all goes to the tail. So each flow moves at most once per timeout.
/// </summary>
internal sealed class FlowList(TimeSpan timeout)
{
    public long TimeoutNs { get; } = timeout.Ticks * 100;

    public Flow? Head { get; private set; }

    private Flow? _tail;

    public int Count { get; private set; }

    /// <summary>Places <paramref name="flow"/> at the tail, as of capture time <paramref name="now"/> (never earlier than the flows already here).</summary>
    public void Append(Flow flow, long now)
    {
        flow.List?.Remove(flow);
        flow.List = this;
        flow.ListTimeoutNs = TimeoutNs;
        flow.ListTime = now;
        flow.Prev = _tail;
        flow.Next = null;
        if (_tail is null) Head = flow;
        else _tail.Next = flow;
        _tail = flow;
        Count++;
    }

    public void Remove(Flow flow)
    {
        if (flow.Prev is null) Head = flow.Next;
        else flow.Prev.Next = flow.Next;
        if (flow.Next is null) _tail = flow.Prev;
        else flow.Next.Prev = flow.Prev;
        flow.Prev = flow.Next = null;
        flow.List = null;
        flow.ListTimeoutNs = long.MaxValue;
        Count--;
    }
}
