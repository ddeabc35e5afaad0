namespace XmppSniff.Core;

/// <summary>
/// One HTTP/1.x request and its response on one connection: the row `xmppsniff http` prints.
/// A request never answered has no status; a response seen without its request has no method.
/// </summary>
public sealed record HttpTransaction
{
    /// <summary>The flow id (as in `flows`).</summary>
    public required long Flow { get; init; }
    public required Endpoint Client { get; init; }
    public required Endpoint Server { get; init; }

    /// <summary>First byte of the request (of the response when there was no request), nanoseconds since the Unix epoch.</summary>
    public required long Time { get; init; }

    public string? Method { get; init; }
    public string? Uri { get; init; }
    public string? Host { get; init; }

    /// <summary>"1.1" or "1.0", the response's when there is one.</summary>
    public string? Version { get; init; }
    public int? Status { get; init; }
    public string? Reason { get; init; }
    public int RequestHeaders { get; init; }
    public int ResponseHeaders { get; init; }

    /// <summary>The response's Content-Length header, if it had one.</summary>
    public long? ContentLength { get; init; }
    public string? TransferEncoding { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ContentType { get; init; }

    /// <summary>Body sizes after removing chunked framing (as Zeek's request_body_len / response_body_len).</summary>
    public long RequestBytes { get; init; }
    public long ResponseBytes { get; init; }

    /// <summary>Request start to the response's first byte; null without a response.</summary>
    public double? TtfbMs { get; init; }

    /// <summary>Request start to the response's last byte; null without a complete response.</summary>
    public double? DurationMs { get; init; }

    /// <summary>The connection stays open after this transaction (no Connection: close; HTTP/1.0 only with keep-alive).</summary>
    public bool KeepAlive { get; init; }

    /// <summary>The response switched protocols to WebSocket (101 after Upgrade: websocket).</summary>
    public bool WebSocket { get; init; }

    /// <summary>The Authorization scheme with its credentials redacted ("Basic [redacted]") unless secrets are shown.</summary>
    public string? Authorization { get; init; }
}
