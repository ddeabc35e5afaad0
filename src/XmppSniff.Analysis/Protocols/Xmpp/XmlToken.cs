namespace XmppSniff.Analysis.Protocols.Xmpp;

public enum XmlTokenKind : byte
{
    None,

    /// <summary>The <c>&lt;?xml ...?&gt;</c> declaration.</summary>
    Declaration,
    StartTag,
    EndTag,

    /// <summary>Character data between tags, entities not yet decoded.</summary>
    Text,

    /// <summary>Bytes that are not allowed in an XMPP stream, reported and skipped (see <see cref="XmlViolation"/>).</summary>
    Violation,
}

/// <summary>Why bytes were skipped. RFC 6120 §11.1 forbids DTDs, comments, PIs; CDATA is not used on XMPP streams.</summary>
public enum XmlViolation : byte
{
    None,
    Dtd,
    Comment,
    ProcessingInstruction,
    CData,

    /// <summary>Not well-formed: skipped to the next plausible top-level element.</summary>
    Malformed,

    /// <summary>Nesting deeper than the limit: skipped to the next plausible top-level element.</summary>
    TooDeep,
}

/// <summary>One token: offsets are into the span given to the tokenizer.</summary>
public readonly record struct XmlToken(
    XmlTokenKind Kind,
    int Start,
    int End,
    int NameStart = 0,
    int NameLength = 0,
    int AttributesStart = 0,
    int AttributesLength = 0,
    bool IsEmptyElement = false,
    XmlViolation Violation = XmlViolation.None,
    int Depth = 0,
    bool InvalidUtf8 = false)
{
    public int Length => End - Start;
}
