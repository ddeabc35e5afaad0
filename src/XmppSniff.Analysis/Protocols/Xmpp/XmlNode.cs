using System.Runtime.CompilerServices;
using System.Text;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// One element of a decoded top-level element: enough of a tree to describe a stanza. A node from an
/// <see cref="XmlNodePool"/> is reused for the next element's tree, keeping its lists' storage.
/// </summary>
public sealed class XmlNode(string name, string localName, string ns)
{
    public string Name { get; private set; } = name;

    public string LocalName { get; private set; } = localName;

    public string Namespace { get; private set; } = ns;

    // Made on first use, or not at all: most elements have no children, no attributes, at most one text run; stanzas are many.
    // Attributes are either decoded (_attributes) or, for a tree built from an element's copy, found (_found: where each
    // name and value lie in _tag) and each value decoded when first asked for: most nested elements' never are.
    private KeyValuePair<string, string>[]? _attributes;
    private int _attributeCount;
    private FoundAttribute[]? _found;
    private int _foundCount;
    private ReadOnlyMemory<byte> _tag;
    private List<XmlNode>? _children;
    private (int Start, int End) _firstText;
    private bool _firstTextPlain;
    private List<(int Start, int End)>? _moreText;
    private ReadOnlyMemory<byte> _source;
    private string? _text;

    /// <summary>Gives a released node (see <see cref="Release"/>) its next element's names.</summary>
    internal void Rename(string name, string localName, string ns) => (Name, LocalName, Namespace) = (name, localName, ns);

    /// <summary>
    /// Forgets the element: its bytes, text, attributes and children, so that a pooled node between two
    /// elements holds no memory (an element's copy can be a megabyte). Storage is kept for reuse.
    /// </summary>
    internal void Release()
    {
        if (_attributes is not null) Array.Clear(_attributes, 0, _attributeCount);
        _attributeCount = 0;
        if (_found is not null) Array.Clear(_found, 0, _foundCount);
        _foundCount = 0;
        _tag = default;
        _children?.Clear();
        _moreText?.Clear();
        _source = default; // no text: the first run's place is set again with it
        _text = null;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Attributes
    {
        get
        {
            DecodeAllAttributes();
            return _attributeCount == 0 ? [] : _attributes.AsSpan(0, _attributeCount).ToArray();
        }
    }

    public IReadOnlyList<XmlNode> Children => _children ?? [];

    /// <summary>The children for loops on the hot path: walking <see cref="Children"/> allocates an enumerator.</summary>
    public ReadOnlySpan<XmlNode> ChildSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_children);

    /// <summary>The character data directly inside this element, decoded (on first use: most is never read).</summary>
    public string Text => _text ??= DecodeText();

    private bool MoreTextRuns => _moreText is { Count: > 0 };

    private bool OneTextRun => _source.Length > 0 && !MoreTextRuns;

    /// <summary>The same as valid UTF-8; in one piece without entities it is a slice of the element, not a copy.</summary>
    public ReadOnlyMemory<byte> TextUtf8 =>
        OneTextRun && _firstTextPlain ? _source[_firstText.Start.._firstText.End] : Encoding.UTF8.GetBytes(Text);

    /// <summary>
    /// The text, or a start of it at least <paramref name="chars"/> long (maybe with a broken end): what a
    /// one-line summary needs of a long body, without decoding all of it.
    /// </summary>
    public string TextStart(int chars)
    {
        // UTF-8 takes at most 4 bytes per character; a reference ("&#x10FFFF;") up to 12.
        var (start, end) = _firstText;
        if (_text is not null || !OneTextRun || end - start <= chars * 4) return Text;
        ReadOnlySpan<byte> head = _source.Span.Slice(start, chars * 4);
        if (head.Contains((byte)'&')) head = _source.Span.Slice(start, Math.Min(end - start, chars * 12));
        else if (Ascii.IsValid(head[..(chars + 1)])) head = head[..(chars + 1)]; // one byte per character
        string text = XmlText.Decode(head);
        return text.Length > chars ? text : Text;
    }

    /// <summary>Where the text inside this element lies in the element's bytes (start, end): what redaction replaces.</summary>
    public IReadOnlyList<(int Start, int End)> TextSpans =>
        _source.Length == 0 ? [] : MoreTextRuns ? [_firstText, .. _moreText!] : [_firstText];

    /// <summary>Copies <paramref name="attributes"/> into this node's storage, which grows as needed and is kept for reuse.</summary>
    internal void SetAttributes(List<KeyValuePair<string, string>> attributes)
    {
        _attributeCount = attributes.Count;
        if (_attributeCount == 0) return;
        if (_attributes is null || _attributes.Length < _attributeCount) _attributes = new KeyValuePair<string, string>[Math.Max(4, _attributeCount)];
        attributes.CopyTo(_attributes);
    }

    /// <summary>Keeps where an attribute's name and value lie in <paramref name="tag"/> (the start tag's attributes, checked already).</summary>
    /// <param name="plain">The value is valid UTF-8 without references: its bytes are its text.</param>
    internal void AddFoundAttribute(ReadOnlyMemory<byte> tag, int nameStart, int nameLength, int valueStart, int valueLength, bool plain)
    {
        _tag = tag;
        if (_found is null || _found.Length == _foundCount) Array.Resize(ref _found, Math.Max(4, _foundCount * 2));
        _found[_foundCount++] = new FoundAttribute
        {
            NameStart = nameStart, NameLength = nameLength, ValueStart = valueStart, ValueLength = valueLength, Plain = plain,
        };
    }

    private void DecodeAllAttributes()
    {
        if (_foundCount == 0) return;
        var all = new List<KeyValuePair<string, string>>(_foundCount);
        for (int i = 0; i < _foundCount; i++) all.Add(new(XmlNames.Get(NameOf(_found![i])), Value(ref _found[i])));
        Array.Clear(_found!, 0, _foundCount);
        _foundCount = 0;
        SetAttributes(all);
    }

    private ReadOnlySpan<byte> NameOf(in FoundAttribute a) => _tag.Span.Slice(a.NameStart, a.NameLength);

    private string Value(ref FoundAttribute a) =>
        a.Value ??= XmlTreeBuilder.AttributeValue(NameOf(a), _tag.Span.Slice(a.ValueStart, a.ValueLength));

    private struct FoundAttribute
    {
        public int NameStart, NameLength, ValueStart, ValueLength;
        public bool Plain;
        public string? Value;
    }

    public void AddChild(XmlNode child) => (_children ??= []).Add(child);

    /// <summary>Character data at <paramref name="start"/>..<paramref name="end"/> of <paramref name="element"/>, the bytes the tree was built from.</summary>
    /// <param name="plain">The bytes are valid UTF-8 without references (see <see cref="XmlText.Check"/>).</param>
    public void AddText(ReadOnlyMemory<byte> element, int start, int end, bool plain)
    {
        _text = null;
        if (_source.Length == 0) (_firstText, _firstTextPlain) = ((start, end), plain);
        else (_moreText ??= []).Add((start, end));
        _source = element;
    }

    private string DecodeText()
    {
        if (_source.Length == 0) return "";
        if (!MoreTextRuns) return XmlText.Decode(_source.Span[_firstText.Start.._firstText.End]);
        var text = new StringBuilder();
        foreach (var (start, end) in TextSpans) text.Append(XmlText.Decode(_source.Span[start..end]));
        return text.ToString();
    }

    /// <summary><see cref="Attribute"/> as UTF-8: a slice of the element's bytes when it is written without references.</summary>
    public Utf8Text? AttributeUtf8(string name)
    {
        if (Find(name) is not { } i) return Utf8Text.Of(Attribute(name));
        ref FoundAttribute a = ref _found![i];
        return a.Plain ? new Utf8Text(_tag.Slice(a.ValueStart, a.ValueLength)) : Utf8Text.Of(Value(ref a));
    }

    public string? Attribute(string name)
    {
        if (Find(name) is { } found) return Value(ref _found![found]);
        if (_foundCount > 0 && !Ascii.IsValid(name)) DecodeAllAttributes(); // a name that is not ASCII: compare as text
        for (int i = 0; i < _attributeCount; i++)
            if (_attributes![i].Key == name) return _attributes[i].Value;
        return null;
    }

    /// <summary>The first found attribute called <paramref name="name"/> (compared as ASCII bytes).</summary>
    private int? Find(string name)
    {
        for (int i = 0; i < _foundCount; i++)
            if (_found![i].NameLength == name.Length && Ascii.Equals(NameOf(_found[i]), name)) return i;
        return null;
    }

    public XmlNode? Child(string localName, string? ns = null)
    {
        foreach (XmlNode child in ChildSpan)
            if (child.LocalName == localName && (ns is null || child.Namespace == ns)) return child;
        return null;
    }

    public XmlNode? ChildIn(string ns)
    {
        foreach (XmlNode child in ChildSpan)
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

    // Scopes made lately, by what they add to which outer scope: stanzas declare the same few namespaces again and again,
    // and a thread reads hundreds of streams in turn, each with a header scope of its own.
    private const int RecentSlots = 1 << 14;
    [ThreadStatic] private static NamespaceScope?[]? t_recent;

    /// <summary>This scope with <paramref name="prefix"/> bound to <paramref name="uri"/> inside it; shared with earlier calls alike.</summary>
    public NamespaceScope With(string prefix, string uri)
    {
        NamespaceScope?[] recent = t_recent ??= new NamespaceScope?[RecentSlots];
        // By identity: the same declaration gets the same strings (from the string cache), and hashing a URI's text costs more.
        int hash = HashCode.Combine(RuntimeHelpers.GetHashCode(this), RuntimeHelpers.GetHashCode(prefix), RuntimeHelpers.GetHashCode(uri));
        ref NamespaceScope? slot = ref recent[(uint)hash % RecentSlots];
        if (slot is { } known && ReferenceEquals(known.Outer, this) && known.Prefix == prefix && known.Uri == uri) return known;
        return slot = new NamespaceScope(prefix, uri, this);
    }

    public string? Lookup(string prefix)
    {
        for (NamespaceScope? s = this; s is not null; s = s.Outer)
            if (s.Prefix == prefix) return s.Uri;
        return null;
    }
}
