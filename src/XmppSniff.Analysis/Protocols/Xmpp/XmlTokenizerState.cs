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
}

/// <summary>Bounds the tokenizer keeps.</summary>
public sealed record XmlTokenizerOptions
{
    public static readonly XmlTokenizerOptions Default = new();

    public int MaxDepth { get; init; } = 256;

    /// <summary>Text may be returned in pieces when the buffer ends inside it (used while skipping an oversized element).</summary>
    public bool PartialText { get; init; }
}
