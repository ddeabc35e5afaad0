namespace XmppSniff.Core;

/// <summary>
/// One top-level element of an XMPP stream (or a note about one): the row `xmppsniff stanzas` prints.
/// Kind is "stream-open", "stream-close", "stanza" (message, presence, iq), "nonza" (everything
/// else at the top level: features, SASL, stream management...) or "note" (an expert note:
/// skipped bytes, an unanswered iq, a stream-management count that does not match).
/// </summary>
public sealed record XmppElement
{
    // A capture of 90 MB makes some 80,000 of these, most of them waiting a while to be written: the connection is
    // one shared reference, and optional values carry no flag of their own (208 bytes a record instead of 296).

    /// <summary>The connection, shared with the flow's other records.</summary>
    public required FlowEnds Ends { get; init; }

    public long Flow => Ends.Flow;
    public Endpoint Client => Ends.Client;
    public Endpoint Server => Ends.Server;
    public required FlowSide Direction { get; init; }

    /// <summary>The direction as output names it: "c2s" or "s2c".</summary>
    public string Dir => Direction == FlowSide.Client ? "c2s" : "s2c";

    /// <summary>When the element was complete (the frame holding its last byte), nanoseconds since the Unix epoch.</summary>
    public required long Time { get; init; }

    public required long FirstFrame { get; init; }
    public required long LastFrame { get; init; }
    public required string Kind { get; init; }

    /// <summary>Local name (e.g. "message", "features", "a").</summary>
    public required string Name { get; init; }

    public string? Namespace { get; init; }
    /// <summary>The id, from and to attributes as UTF-8: mostly the element's own bytes, printed without a detour through UTF-16.</summary>
    public Utf8Text? IdUtf8 { get => _id.Value; init => _id = new(value); }
    public Utf8Text? FromUtf8 { get => _from.Value; init => _from = new(value); }
    public Utf8Text? ToUtf8 { get => _to.Value; init => _to = new(value); }

    public string? Id { get => IdUtf8?.ToString(); init => IdUtf8 = Utf8Text.Of(value); }
    public string? Type { get; init; }
    public string? From { get => FromUtf8?.ToString(); init => FromUtf8 = Utf8Text.Of(value); }
    public string? To { get => ToUtf8?.ToString(); init => ToUtf8 = Utf8Text.Of(value); }
    /// <summary>The message body as UTF-8 (printed without a detour through UTF-16).</summary>
    public Utf8Text? BodyUtf8 { get => _body.Value; init => _body = new(value); }

    public string? Body => BodyUtf8?.ToString();
    public required string Summary { get; init; }

    /// <summary>For an iq response: milliseconds since its request.</summary>
    public double? RttMs { get => double.IsNaN(_rttMs) ? null : _rttMs; init => _rttMs = value ?? double.NaN; }

    /// <summary>For an iq response: what its request asked, its type and payloads ("get disco#info", "set bind").</summary>
    public string? Answers { get; init; }

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
    public Utf8Text? XmlUtf8 { get => _xml.Value; init => _xml = new(value); }

    /// <summary><see cref="XmlUtf8"/> as text.</summary>
    public string? Xml => XmlUtf8?.ToString();

    private readonly double _rttMs = double.NaN;
    private readonly OptionalUtf8 _id, _from, _to, _body, _xml;

    /// <summary>A <see cref="Utf8Text"/>? in 16 bytes instead of 24: none is the default, an empty text points at an empty array.</summary>
    private readonly struct OptionalUtf8(Utf8Text? text) : IEquatable<OptionalUtf8>
    {
        private static readonly byte[] Empty = [];

        private readonly ReadOnlyMemory<byte> _bytes = text is not { } t ? default : t.Bytes.IsEmpty ? Empty : t.Bytes;

        public Utf8Text? Value => _bytes.Equals(default(ReadOnlyMemory<byte>)) ? null : new Utf8Text(_bytes);

        public bool Equals(OptionalUtf8 other) => Value == other.Value;

        public override bool Equals(object? obj) => obj is OptionalUtf8 other && Equals(other);

        public override int GetHashCode() => Value?.GetHashCode() ?? 0;
    }
}
