namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// What the tokenizer must remember between buffers: small and copyable, like JsonReaderState.
/// The bytes of an unfinished token are not part of it: the caller offers them again.
/// </summary>
public struct XmlTokenizerState
{
    /// <summary>Open elements, the stream root included.</summary>
    public int Depth;

    /// <summary>The depth to return to after malformed input: 1 inside a stream, 0 mid-stream.</summary>
    public int ResyncDepth;

    /// <summary>Skipping malformed input until a plausible top-level element starts.</summary>
    public bool Resyncing;

    /// <summary>This resynchronisation already reported bytes: whitespace that follows belongs to the same skipped run.</summary>
    public bool SkipReported;

    /// <summary>Why the skip in progress started (None: malformed), so a skip continued in the next buffer is reported alike.</summary>
    public XmlViolation SkipWhy;

    public bool SawDeclaration;

    /// <summary>
    /// How many bytes of the unfinished text where reading resumes were searched for its end already: the next
    /// offer searches on from there, so a 64 KiB body arriving in 45 segments is searched once, not 45 times over.
    /// Valid only for an offer that starts where the last one stopped (0: search from the start).
    /// </summary>
    public int TextSearched;

    /// <summary>
    /// Where reading an unfinished start tag goes on, counted from its '&lt;' (0: from the start), in which part of
    /// it, with what was learned of it so far: the same kind of saving as <see cref="TextSearched"/>, for tags.
    /// </summary>
    public int TagAt;
    public TagPart TagPart;
    public int TagNameLength;
    public bool TagSawSpace;
    public byte TagQuote;

    /// <summary>Reading moves away from where an unfinished token was paused: next time it starts afresh.</summary>
    public void ForgetPosition()
    {
        TextSearched = 0;
        TagAt = 0;
    }
}

/// <summary>The parts of a start tag its reader can pause in.</summary>
public enum TagPart : byte
{
    Name,
    Space,
    AttributeName,
    BeforeEquals,
    AfterEquals,
    Value,
}

/// <summary>Bounds the tokenizer keeps.</summary>
public sealed record XmlTokenizerOptions
{
    public static readonly XmlTokenizerOptions Default = new();

    public int MaxDepth { get; init; } = 256;

    /// <summary>Text may be returned in pieces when the buffer ends inside it (used while skipping an oversized element).</summary>
    public bool PartialText { get; init; }
}
