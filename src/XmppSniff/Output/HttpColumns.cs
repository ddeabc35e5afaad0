using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>The fields of `xmppsniff http`. The names are a public interface (see README).</summary>
internal static class HttpColumns
{
    public static readonly Column<HttpTransaction>[] All =
    [
        new("flow", t => t.Flow, 5, true),
        Columns.Endpoint<HttpTransaction>("client", t => t.Client, 21),
        Columns.Endpoint<HttpTransaction>("server", t => t.Server, 21),
        Columns.Time<HttpTransaction>("time", t => t.Time, 27),
        new("method", t => t.Method, 7),
        new("uri", t => t.Uri, 32),
        new("host", t => t.Host, 20),
        new("status", t => t.Status is { } s ? s : Cell.Null, 6, true),
        new("request_bytes", t => t.RequestBytes, 9, true, "req_b"),
        new("response_bytes", t => t.ResponseBytes, 10, true, "resp_b"),
        new("ttfb_ms", t => Cell.Of(t.TtfbMs, 3), 9, true),
        new("duration_ms", t => Cell.Of(t.DurationMs, 3), 10, true, "dur_ms"),
        new("keep_alive", t => t.KeepAlive, 5, false, "ka"),
        new("content_type", t => t.ContentType, 24),
        new("version", t => t.Version),
        new("reason", t => t.Reason),
        new("request_headers", t => t.RequestHeaders),
        new("response_headers", t => t.ResponseHeaders),
        new("content_length", t => t.ContentLength is { } n ? n : Cell.Null),
        new("transfer_encoding", t => t.TransferEncoding),
        new("content_encoding", t => t.ContentEncoding),
        new("websocket", t => t.WebSocket),
        new("authorization", t => t.Authorization),
    ];
}
