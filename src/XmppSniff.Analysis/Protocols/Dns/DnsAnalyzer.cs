using System.Buffers.Binary;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Dns;

/// <summary>
/// Queries and answers of one DNS flow, paired by id: over UDP one message per datagram, over TCP
/// each message behind its 2-byte length. SRV lookups for XMPP (_xmpp-client._tcp,
/// _xmpp-server._tcp) are listed with the targets the answers gave, since they start XMPP connections.
/// </summary>
internal sealed class DnsAnalyzer(bool tcp) : IStreamAnalyzer
{
    private const int MaxPending = 1024;
    private const int NamesShown = 5;

    private readonly HashSet<ushort> _pending = [];
    private readonly List<string> _names = [];
    private readonly List<string> _xmppSrv = [];
    private long _queries, _responses, _answered, _malformed;

    public string? Violation { get; private set; }

    public int Consume(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
    {
        if (!tcp)
        {
            Message(data);
            return data.Length;
        }
        int used = 0;
        while (data.Length - used >= 2)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[used..]);
            if (data.Length - used - 2 < length) break; // at most 64 KiB held: the length field's limit
            Message(data.Slice(used + 2, length));
            used += 2 + length;
        }
        return used;
    }

    public void Gap(FlowSide from, long length) => _malformed++;

    public void End(FlowRecord record) => _pending.Clear();

    public IReadOnlyDictionary<string, object?> Describe()
    {
        var details = new Dictionary<string, object?>
        {
            ["queries"] = _queries,
            ["responses"] = _responses,
            ["answered"] = _answered,
            ["names"] = string.Join(", ", _names),
        };
        if (_xmppSrv.Count > 0) details["xmpp_srv"] = string.Join(", ", _xmppSrv);
        if (_malformed > 0) details["malformed"] = _malformed;
        return details;
    }

    private void Message(ReadOnlySpan<byte> data)
    {
        if (!DnsMessage.TryParse(data, strict: false, out DnsMessage message))
        {
            if (_queries + _responses == 0 && data.Length < 12) Violation = "shorter than a DNS header";
            _malformed++;
            return;
        }
        foreach (DnsEntry q in message.Questions)
        {
            string shown = $"{q.Name} {DnsTypes.Name(q.Type)}";
            if (_names.Count < NamesShown && !_names.Contains(shown)) _names.Add(shown);
            if (q.Type == 33 && IsXmppService(q.Name) && !message.IsResponse && !_xmppSrv.Contains(q.Name) && _xmppSrv.Count < NamesShown) _xmppSrv.Add(q.Name);
        }
        if (!message.IsResponse)
        {
            _queries++;
            if (_pending.Count < MaxPending) _pending.Add(message.Id);
            return;
        }
        _responses++;
        if (_pending.Remove(message.Id)) _answered++;
        foreach (DnsEntry a in message.Answers)
        {
            string shown = $"{a.Name} -> {a.Data}";
            if (a.Type == 33 && IsXmppService(a.Name) && !_xmppSrv.Contains(shown) && _xmppSrv.Count < 2 * NamesShown) _xmppSrv.Add(shown);
        }
    }

    private static bool IsXmppService(string name) =>
        name.StartsWith("_xmpp-client._tcp.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("_xmpp-server._tcp.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("_xmpps-client._tcp.", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("_xmpps-server._tcp.", StringComparison.OrdinalIgnoreCase);
}
