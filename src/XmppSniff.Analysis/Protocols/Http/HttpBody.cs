namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>How the bytes after a message head are framed (RFC 9112 §6.3), or what the connection became.</summary>
internal enum HttpBodyKind
{
    None,
    Length,
    Chunked,
    UntilClose,

    /// <summary>After CONNECT or a non-WebSocket upgrade: opaque bytes, counted.</summary>
    Tunnel,
    WebSocket,
}

internal readonly record struct HttpBody(HttpBodyKind Kind, long Length = 0);

/// <summary>What one direction's parser reports to the analyzer that pairs requests and responses.</summary>
internal interface IHttpMessageHandler
{
    /// <summary>The first byte of a new message arrived.</summary>
    void MessageStarted(HttpMessageParser parser, long time);

    /// <summary>The head is complete; the answer says how its body is framed.</summary>
    HttpBody HeadEnded(HttpMessageParser parser, HttpHead head, long time);

    /// <summary>Bytes of the body, without chunked framing, in order.</summary>
    void BodyData(HttpMessageParser parser, ReadOnlySpan<byte> data);

    /// <summary>After an upgrade to WebSocket: text message payload, unmasked, in order (a message may come in several pieces).</summary>
    void WebSocketText(HttpMessageParser parser, ReadOnlySpan<byte> text);

    /// <summary>The body ended (its size without chunked framing).</summary>
    void MessageEnded(HttpMessageParser parser, long bodyBytes, long time);

    /// <summary>The bytes stopped making sense as HTTP; the parser ignores the rest of its side.</summary>
    void Malformed(HttpMessageParser parser, string problem);
}
