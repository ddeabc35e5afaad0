namespace XmppSniff.Core;

/// <summary>
/// One top-level element of an XMPP stream (or a note about one): the row `xmppsniff stanzas` prints.
/// Kind is "stream-open", "stream-close", "stanza" (message, presence, iq), "nonza" (everything
/// else at the top level: features, SASL, stream management...) or "note" (an expert note:
/// skipped bytes, an unanswered iq, a stream-management count that does not match).
/// </summary>
public sealed record XmppElement
{
    public required long Flow { get; init; }
    public required Endpoint Client { get; init; }
    public required Endpoint Server { get; init; }
    public required FlowSide Direction { get; init; }

    /// <summary>When the element was complete (the frame holding its last byte), nanoseconds since the Unix epoch.</summary>
    public required long Time { get; init; }

    public required long FirstFrame { get; init; }
    public required long LastFrame { get; init; }
    public required string Kind { get; init; }

    /// <summary>Local name (e.g. "message", "features", "a").</summary>
    public required string Name { get; init; }

    public string? Namespace { get; init; }
    /// <summary>The id, from and to attributes as UTF-8: mostly the element's own bytes, printed without a detour through UTF-16.</summary>
    public Utf8Text? IdUtf8 { get; init; }
    public Utf8Text? FromUtf8 { get; init; }
    public Utf8Text? ToUtf8 { get; init; }

    public string? Id { get => IdUtf8?.ToString(); init => IdUtf8 = Utf8Text.Of(value); }
    public string? Type { get; init; }
    public string? From { get => FromUtf8?.ToString(); init => FromUtf8 = Utf8Text.Of(value); }
    public string? To { get => ToUtf8?.ToString(); init => ToUtf8 = Utf8Text.Of(value); }
    /// <summary>The message body as UTF-8 (printed without a detour through UTF-16).</summary>
    public Utf8Text? BodyUtf8 { get; init; }

    public string? Body => BodyUtf8?.ToString();
    public required string Summary { get; init; }

    /// <summary>For an iq response: milliseconds since its request.</summary>
    public double? RttMs { get; init; }

    /// <summary>A stanza or stream error ("cancel/item-not-found"), or what was wrong with the bytes.</summary>
    public string? Error { get; init; }

    /// <summary>The element was larger than the limit: only its start is kept.</summary>
    public bool Truncated { get; init; }

    /// <summary>Bytes the element (or the skipped stretch of a note) took on the wire.</summary>
    public long Size { get; init; }

    /// <summary>
    /// The element as sent (its start when truncated), with SASL payloads and passwords redacted unless
    /// secrets are shown, as valid UTF-8: output copies it as it is, without a detour through UTF-16.
    /// </summary>
    public Utf8Text? XmlUtf8 { get; init; }

    /// <summary><see cref="XmlUtf8"/> as text.</summary>
    public string? Xml => XmlUtf8?.ToString();
}
