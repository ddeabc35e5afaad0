using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>
/// Flows end in any order; this releases their records in order of first packet (id),
/// holding only those that ended before an earlier flow did.
/// </summary>
internal sealed class OrderedRecords(Action<FlowRecord> emit)
{
    private readonly Dictionary<long, FlowRecord> _waiting = [];
    private long _next = 1;

    public void Add(FlowRecord record)
    {
        if (record.Id != _next)
        {
            _waiting.Add(record.Id, record);
            return;
        }
        emit(record);
        _next++;
        while (_waiting.Remove(_next, out FlowRecord? ready))
        {
            emit(ready);
            _next++;
        }
    }
}
