using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>The fields of `xmppsniff flows`. The names are a public interface (see README).</summary>
internal static class FlowColumns
{
    public static readonly Column<FlowRecord>[] All =
    [
        new("id", r => r.Id, 5, true),
        new("proto", r => Formats.Protocol(r.Protocol), 5),
        Columns.Endpoint<FlowRecord>("client", r => r.Client, 21),
        Columns.Endpoint<FlowRecord>("server", r => r.Server, 21),
        Columns.Time<FlowRecord>("start", r => r.Start),
        Columns.Time<FlowRecord>("end", r => r.End),
        new("duration", r => Cell.Of(r.DurationSeconds, 6), 10, true, "secs"),
        new("state", r => r.State, 6),
        new("history", r => r.History, 12),
        new("kind", r => Formats.Lower(r.Kind), 5),
        new("app", r => r.App, 7),
        new("packets_c2s", r => r.PacketsClientToServer, 7, true, "pkts>"),
        new("packets_s2c", r => r.PacketsServerToClient, 7, true, "<pkts"),
        new("bytes_c2s", r => r.BytesClientToServer, 10, true, "bytes>"),
        new("bytes_s2c", r => r.BytesServerToClient, 10, true, "<bytes"),
        new("missed_bytes", r => r.MissedBytes, 7, true, "missed"),
        new("retransmissions", r => r.Retransmissions, 6, true, "retx"),
        new("out_of_order", r => r.OutOfOrder, 5, true, "ooo"),
        new("dup_acks", r => r.DuplicateAcks),
        new("zero_windows", r => r.ZeroWindows),
        new("keep_alives", r => r.KeepAlives),
        new("handshake_rtt_ms", r => Cell.Of(r.HandshakeRttMs, 3), 8, true, "rtt_ms"),
        new("closed_by", r => r.ClosedBy is { } side ? Formats.Lower(side) : null, 6, false, "by"),
        new("close", r => Formats.Lower(r.Close), 7),
        new("exchanges", r => r.Exchanges, 5, true, "exch"),
        new("max_idle_s", r => Cell.Of(r.MaxIdleSeconds, 6), 10, true, "max_idle"),
    ];

    /// <summary>JSONL only: the expert notes, then what the flow's analyzer learned (e.g. <c>tls</c>), as nested fields.</summary>
    public static IReadOnlyDictionary<string, object?>? Extra(FlowRecord record)
    {
        if (record.Notes.Count == 0) return record.Details;
        var extra = new Dictionary<string, object?> { ["notes"] = record.Notes };
        foreach ((string name, object? value) in record.Details ?? new Dictionary<string, object?>()) extra[name] = value;
        return extra;
    }
}
