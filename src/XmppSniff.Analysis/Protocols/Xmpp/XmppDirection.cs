using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>What the analyzer remembers about one direction of a connection between offers.</summary>
internal sealed class XmppDirection(ElementCopyPool? copies)
{
    /// <summary>The connection's bytes not read yet (see <see cref="XmppAnalyzer.Consume"/>).</summary>
    public readonly HeldBytes Held = new(copies);

    /// <summary>After STARTTLS: decrypted bytes not read yet.</summary>
    public readonly HeldBytes Decrypted = new(copies);

    /// <summary>Bytes held unread, in all layers.</summary>
    public int Holding => Held.Total + Decrypted.Length + (Inflating?.Held.Length ?? 0);

    // Start resynchronising: a flow caught mid-stream begins anywhere; leading whitespace is not a violation.
    public XmlTokenizerState Tokenizer = new() { Resyncing = true };

    /// <summary>Bytes at the start of the next offer that were already tokenized (the element in progress).</summary>
    public int Scanned;

    /// <summary>Bytes held by the host from earlier offers, and the frame the first of them came in.</summary>
    public int Carried;
    public long CarriedFrame;

    /// <summary>Capture time of the newest bytes: what a gap note is dated with.</summary>
    public long LastTime;

    public bool InElement;
    public long ElementFirstFrame;

    /// <summary>
    /// The tokens of the top-level element in progress, placed relative to its first byte: its tree is
    /// built from them when it completes, without reading the element a second time. Here only for an
    /// element one offer left unfinished (see XmppAnalyzer.ElementWork).
    /// </summary>
    public readonly List<XmlToken> ElementTokens = [];

    /// <summary>Hashes of the names of the elements open inside the current top-level one, to catch mismatched end tags (as <see cref="ElementTokens"/>).</summary>
    public readonly List<int> OpenNames = [];

    /// <summary>Skipping an element larger than the limit: its start, what was seen of it, its size so far.</summary>
    public bool Skipping;
    public XmppElementHead? SkippedHead;
    public long SkippedSize;

    /// <summary>Skipped bytes not yet reported: consecutive skips of one kind make one note.</summary>
    public XmlViolation SkipKind;
    public long SkipSize;
    public long SkipFrame;
    public readonly List<byte> SkipHead = [];

    public bool StreamOpen;
    public NamespaceScope Scope = NamespaceScope.Xml;

    /// <summary>TLS or compression follows: nothing more to read on this direction (until decrypted TLS restarts it).</summary>
    public bool Stopped;

    /// <summary>After STARTTLS: the connection's bytes are TLS records, read by the TLS analyzer.</summary>
    public bool Encrypted;

    /// <summary>After XEP-0138 compression: this direction's bytes are inflated before they are read.</summary>
    public XmppAnalyzer.Inflation? Inflating;

    /// <summary>XEP-0198: stanzas sent since stream management was enabled on this direction (null: not enabled).</summary>
    public long? StanzasSent;
    public long? SentAtLastRequest;

    /// <summary>iq requests this direction sent, by id, waiting for an answer from the other side (Asks: see XmppAnalyzer.Request).</summary>
    public readonly Dictionary<string, (long Time, string Summary, long Frame, string Asks)> PendingIqs = [];
    public long DroppedIqs;
}

/// <summary>What is kept of an oversized element: its start tag and where it began.</summary>
internal sealed record XmppElementHead(XmlNode Node, Utf8Text Xml, long FirstFrame, long Time);
