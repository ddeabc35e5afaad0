using System.Text;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>One element of a decoded top-level element: enough of a tree to describe a stanza.</summary>
public sealed class XmlNode
{
    public required string Name { get; init; }

    public required string LocalName { get; init; }

    public required string Namespace { get; init; }

    // Lists are made on first use: most elements have no children or no text, and stanzas are many.
    private List<KeyValuePair<string, string>>? _attributes;
    private List<XmlNode>? _children;
    private List<(int Start, int End)>? _textSpans;
    private ReadOnlyMemory<byte> _source;
    private string? _text;

    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes ?? [];

    public IReadOnlyList<XmlNode> Children => _children ?? [];

    /// <summary>The character data directly inside this element, decoded (on first use: most is never read).</summary>
    public string Text => _text ??= DecodeText();

    /// <summary>The same as valid UTF-8; in one piece without entities it is a slice of the element, not a copy.</summary>
    public ReadOnlyMemory<byte> TextUtf8 =>
        _textSpans is [var (start, end)] && IsPlain(_source.Span[start..end]) ? _source[start..end] : Encoding.UTF8.GetBytes(Text);

    /// <summary>
    /// The text, or a start of it at least <paramref name="chars"/> long (maybe with a broken end): what a
    /// one-line summary needs of a long body, without decoding all of it.
    /// </summary>
    public string TextStart(int chars)
    {
        const int BytesPerChar = 12; // "&#x10FFFF;" is the longest way to write one character
        if (_text is not null || _textSpans is not [var (start, end)] || end - start <= chars * BytesPerChar) return Text;
        ReadOnlySpan<byte> head = _source.Span.Slice(start, chars * BytesPerChar);
        string text = XmlText.Decode(head);
        return text.Length > chars ? text : Text;
    }

    /// <summary>Where the text inside this element lies in the element's bytes (start, end): what redaction replaces.</summary>
    public IReadOnlyList<(int Start, int End)> TextSpans => _textSpans ?? [];

    public void AddAttribute(string name, string value) => (_attributes ??= []).Add(new(name, value));

    /// <summary>Takes <paramref name="attributes"/> as this node's list (no copy).</summary>
    internal void SetAttributes(List<KeyValuePair<string, string>>? attributes) => _attributes = attributes;

    public void AddChild(XmlNode child) => (_children ??= []).Add(child);

    /// <summary>Character data at <paramref name="start"/>..<paramref name="end"/> of <paramref name="element"/>, the bytes the tree was built from.</summary>
    public void AddText(ReadOnlyMemory<byte> element, int start, int end)
    {
        _source = element;
        _text = null;
        (_textSpans ??= []).Add((start, end));
    }

    private static bool IsPlain(ReadOnlySpan<byte> raw) => raw.IndexOf((byte)'&') < 0 && System.Text.Unicode.Utf8.IsValid(raw);

    private string DecodeText()
    {
        if (_textSpans is null) return "";
        var text = new StringBuilder();
        foreach (var (start, end) in _textSpans) text.Append(XmlText.Decode(_source.Span[start..end]));
        return text.ToString();
    }

    public string? Attribute(string name)
    {
        foreach (var (key, value) in Attributes)
            if (key == name) return value;
        return null;
    }

    public XmlNode? Child(string localName, string? ns = null)
    {
        foreach (XmlNode child in Children)
            if (child.LocalName == localName && (ns is null || child.Namespace == ns)) return child;
        return null;
    }

    public XmlNode? ChildIn(string ns)
    {
        foreach (XmlNode child in Children)
            if (child.Namespace == ns) return child;
        return null;
    }

    public IEnumerable<XmlNode> Descendants()
    {
        foreach (XmlNode child in Children)
        {
            yield return child;
            foreach (XmlNode d in child.Descendants()) yield return d;
        }
    }
}

/// <summary>Namespace declarations in scope, innermost first; immutable so a stream header's scope can be shared.</summary>
public sealed record NamespaceScope(string Prefix, string Uri, NamespaceScope? Outer)
{
    public static readonly NamespaceScope Xml = new("xml", "http://www.w3.org/XML/1998/namespace", null);

    public string? Lookup(string prefix)
    {
        for (NamespaceScope? s = this; s is not null; s = s.Outer)
            if (s.Prefix == prefix) return s.Uri;
        return null;
    }
}
