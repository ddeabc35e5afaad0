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

    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes ?? [];

    public IReadOnlyList<XmlNode> Children => _children ?? [];

    /// <summary>The character data directly inside this element, decoded.</summary>
    public string Text { get; set; } = "";

    /// <summary>Where the text inside this element lies in the element's bytes (start, end): what redaction replaces.</summary>
    public IReadOnlyList<(int Start, int End)> TextSpans => _textSpans ?? [];

    public void AddAttribute(string name, string value) => (_attributes ??= []).Add(new(name, value));

    public void AddChild(XmlNode child) => (_children ??= []).Add(child);

    public void AddText(string text, int start, int end)
    {
        Text = Text.Length == 0 ? text : Text + text;
        (_textSpans ??= []).Add((start, end));
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
