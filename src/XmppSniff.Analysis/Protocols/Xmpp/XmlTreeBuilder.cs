using System.Text;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Builds an <see cref="XmlNode"/> tree from the bytes of one complete element and the tokens the
/// stream's tokenizer found in it, checking what the tokenizer does not (matching end tags).
/// </summary>
public static class XmlTreeBuilder
{
    public readonly record struct Result(XmlNode? Root, string? Error, bool InvalidUtf8);

    // Open elements while building; one per thread, emptied after each element.
    [ThreadStatic] private static Stack<(XmlNode Node, NamespaceScope Scope)>? t_open;

    // A start tag's attributes while reading them; each node then copies them into storage it keeps.
    [ThreadStatic] private static List<KeyValuePair<string, string>>? t_attributes;

    // Where a start tag's attributes lie, while reading them (a tree built from an element's copy decodes values on demand).
    [ThreadStatic] private static List<(int NameStart, int NameLength, int ValueStart, int ValueLength, bool Plain)>? t_found;

    /// <summary>
    /// The tree of one element from its <paramref name="tokens"/> (positions in <paramref name="source"/>);
    /// its nodes' text refers to <paramref name="source"/>, which must not change afterwards. With a
    /// <paramref name="pool"/> the nodes are the pool's, valid until it is returned.
    /// </summary>
    public static Result Build(ReadOnlyMemory<byte> source, NamespaceScope scope, IReadOnlyList<XmlToken> tokens, XmlNodePool? pool = null)
    {
        ReadOnlySpan<byte> element = source.Span;
        Stack<(XmlNode Node, NamespaceScope Scope)> stack = t_open ??= new();
        stack.Clear();
        XmlNode? root = null;
        string? error = null;
        var problems = XmlText.Problems.None;
        for (int i = 0; i < tokens.Count; i++)
        {
            XmlToken t = tokens[i];
            switch (t.Kind)
            {
                case XmlTokenKind.StartTag:
                {
                    NamespaceScope outer = stack.Count > 0 ? stack.Peek().Scope : scope;
                    XmlNode node = StartTag(element, source, pool, t, outer, ref problems, out NamespaceScope inner);
                    if (stack.Count > 0) stack.Peek().Node.AddChild(node);
                    else if (root is null) root = node;
                    else error ??= "more than one element";
                    if (!t.IsEmptyElement) stack.Push((node, inner));
                    break;
                }
                case XmlTokenKind.EndTag:
                {
                    ReadOnlySpan<byte> name = element.Slice(t.NameStart, t.NameLength);
                    if (stack.Count == 0) { error ??= $"unexpected </{Encoding.UTF8.GetString(name)}>"; break; }
                    XmlNode open = stack.Pop().Node;
                    if (!SameName(name, open.Name)) error ??= $"</{Encoding.UTF8.GetString(name)}> closes <{open.Name}>";
                    break;
                }
                case XmlTokenKind.Text when stack.Count > 0:
                {
                    XmlNode node = stack.Peek().Node;
                    bool plain = XmlText.Check(element[t.Start..t.End], ref problems, validUtf8: !t.InvalidUtf8);
                    node.AddText(source, t.Start, t.End, plain);
                    break;
                }
                case XmlTokenKind.Violation:
                    error ??= t.Violation switch
                    {
                        XmlViolation.CData => "CDATA section (not allowed in XMPP)",
                        XmlViolation.Comment => "comment (not allowed in XMPP)",
                        XmlViolation.ProcessingInstruction => "processing instruction (not allowed in XMPP)",
                        XmlViolation.Dtd => "DTD (not allowed in XMPP)",
                        XmlViolation.TooDeep => "nested too deep",
                        _ => "not well-formed",
                    };
                    break;
            }
        }
        if (stack.Count > 0) error ??= $"<{stack.Peek().Node.Name}> not closed";
        if ((problems & XmlText.Problems.UnknownEntity) != 0) error ??= "undefined entity (not expanded)";
        bool badUtf8 = (problems & XmlText.Problems.InvalidUtf8) != 0;
        if (badUtf8) error ??= "invalid UTF-8";
        stack.Clear();
        return new Result(root, error, badUtf8);
    }

    /// <summary>The node for one start tag, and the namespace scope inside it.</summary>
    public static XmlNode StartTag(ReadOnlySpan<byte> bytes, XmlToken t, NamespaceScope outer, ref XmlText.Problems problems, out NamespaceScope inner) =>
        StartTag(bytes, default, null, t, outer, ref problems, out inner);

    /// <param name="kept">
    /// The same bytes as memory the node may keep (empty: they are about to change): then attribute values other
    /// than namespaces are checked now and decoded when first asked for, as most nested elements' never are.
    /// </param>
    private static XmlNode StartTag(ReadOnlySpan<byte> bytes, ReadOnlyMemory<byte> kept, XmlNodePool? pool, XmlToken t, NamespaceScope outer,
        ref XmlText.Problems problems, out NamespaceScope inner)
    {
        ReadOnlySpan<byte> qname = bytes.Slice(t.NameStart, t.NameLength);
        string name = XmlNames.Get(qname);
        List<KeyValuePair<string, string>> attributes = t_attributes ??= [];
        attributes.Clear();
        List<(int, int, int, int, bool)> found = t_found ??= [];
        found.Clear();
        inner = outer;
        bool lazy = !kept.IsEmpty;
        var reader = new XmlAttributeReader(bytes.Slice(t.AttributesStart, t.AttributesLength));
        while (reader.Read())
        {
            ReadOnlySpan<byte> key = reader.Name, raw = reader.RawValue;
            bool plain = false;
            if (key.StartsWith("xmlns"u8))
            {
                string value = NamespaceValue(raw, ref problems);
                if (key.Length == 5) inner = inner.With("", value);
                else if (key[5] == ':') inner = inner.With(XmlNames.Get(key[6..]), value);
                if (!lazy) attributes.Add(new(XmlNames.Get(key), value));
            }
            else if (lazy) plain = XmlText.Check(raw, ref problems, validUtf8: !t.InvalidUtf8);
            else attributes.Add(new(XmlNames.Get(key), Value(raw, ref problems)));
            if (lazy) found.Add((reader.NameStart, key.Length, reader.ValueStart, raw.Length, plain));
        }
        int colon = qname.IndexOf((byte)':');
        string prefix = colon > 0 ? XmlNames.Get(qname[..colon]) : "";
        string ns = inner.Lookup(prefix) ?? WellKnownPrefix(prefix);
        string local = colon > 0 ? XmlNames.Get(qname[(colon + 1)..]) : name;
        XmlNode node = pool?.Take(name, local, ns) ?? new XmlNode(name, local, ns);
        if (lazy)
        {
            ReadOnlyMemory<byte> tag = kept.Slice(t.AttributesStart, t.AttributesLength);
            foreach (var (nameStart, nameLength, valueStart, valueLength, plain) in found) node.AddFoundAttribute(tag, nameStart, nameLength, valueStart, valueLength, plain);
        }
        else node.SetAttributes(attributes);
        if (t.InvalidUtf8) problems |= XmlText.Problems.InvalidUtf8;
        return node;
    }

    /// <summary>An attribute's value, decoded: what a node built with found attributes makes on first use.</summary>
    internal static string AttributeValue(ReadOnlySpan<byte> name, ReadOnlySpan<byte> raw)
    {
        var problems = XmlText.Problems.None; // counted when the tag was read
        return name.StartsWith("xmlns"u8) ? NamespaceValue(raw, ref problems) : Value(raw, ref problems);
    }

    private static string Value(ReadOnlySpan<byte> raw, ref XmlText.Problems problems) =>
        XmlNames.TryGet(raw, out string? known) ? known : XmlText.Decode(raw, ref problems);

    private static string NamespaceValue(ReadOnlySpan<byte> raw, ref XmlText.Problems problems) =>
        XmlText.Check(raw, ref problems) ? XmlStringCache.Get(raw) // namespaces repeat
        : XmlText.Decode(raw, ref problems);

    /// <summary>An end tag's name against its start tag's, without making a string (names are nearly always ASCII).</summary>
    private static bool SameName(ReadOnlySpan<byte> utf8, string name)
    {
        if (!System.Text.Ascii.IsValid(utf8)) return Encoding.UTF8.GetString(utf8) == name;
        return System.Text.Ascii.Equals(utf8, name);
    }

    /// <summary>Prefixes XMPP peers use without declaring them when we joined mid-stream.</summary>
    private static string WellKnownPrefix(string prefix) => prefix switch
    {
        "stream" => XmppNs.Streams,
        "db" => XmppNs.Dialback,
        _ => "",
    };
}
