using System.Text;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>Builds an <see cref="XmlNode"/> tree from the bytes of one complete element, checking what the tokenizer does not (matching end tags).</summary>
public static class XmlTreeBuilder
{
    public sealed record Result(XmlNode? Root, string? Error, bool InvalidUtf8);

    // Open elements while building; one per thread, emptied after each element.
    [ThreadStatic] private static Stack<(XmlNode Node, NamespaceScope Scope)>? t_open;

    /// <summary>The tree of one element; its nodes' text refers to <paramref name="source"/>, which must not change afterwards.</summary>
    public static Result Build(ReadOnlyMemory<byte> source, NamespaceScope scope, XmlTokenizerOptions? options = null)
    {
        ReadOnlySpan<byte> element = source.Span;
        var tokenizer = new XmlTokenizer(element, new XmlTokenizerState { ResyncDepth = -1 }, options);
        Stack<(XmlNode Node, NamespaceScope Scope)> stack = t_open ??= new();
        stack.Clear();
        XmlNode? root = null;
        string? error = null;
        var problems = XmlText.Problems.None;
        while (tokenizer.Read())
        {
            XmlToken t = tokenizer.Token;
            switch (t.Kind)
            {
                case XmlTokenKind.StartTag:
                {
                    NamespaceScope outer = stack.Count > 0 ? stack.Peek().Scope : scope;
                    XmlNode node = StartTag(element, t, outer, ref problems, out NamespaceScope inner);
                    if (stack.Count > 0) stack.Peek().Node.AddChild(node);
                    else if (root is null) root = node;
                    else error ??= "more than one element";
                    if (!t.IsEmptyElement) stack.Push((node, inner));
                    break;
                }
                case XmlTokenKind.EndTag:
                {
                    string name = Encoding.UTF8.GetString(element.Slice(t.NameStart, t.NameLength));
                    if (stack.Count == 0) { error ??= $"unexpected </{name}>"; break; }
                    XmlNode open = stack.Pop().Node;
                    if (open.Name != name) error ??= $"</{name}> closes <{open.Name}>";
                    break;
                }
                case XmlTokenKind.Text when stack.Count > 0:
                {
                    XmlNode node = stack.Peek().Node;
                    XmlText.Check(element[t.Start..t.End], ref problems);
                    node.AddText(source, t.Start, t.End);
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
    public static XmlNode StartTag(ReadOnlySpan<byte> bytes, XmlToken t, NamespaceScope outer, ref XmlText.Problems problems, out NamespaceScope inner)
    {
        string name = XmlNames.Get(bytes.Slice(t.NameStart, t.NameLength));
        List<KeyValuePair<string, string>>? attributes = null;
        inner = outer;
        var reader = new XmlAttributeReader(bytes.Slice(t.AttributesStart, t.AttributesLength));
        while (reader.Read())
        {
            string key = XmlNames.Get(reader.Name);
            string value = XmlText.Decode(reader.RawValue, ref problems);
            if (key == "xmlns") inner = new NamespaceScope("", value, inner);
            else if (key.StartsWith("xmlns:", StringComparison.Ordinal)) inner = new NamespaceScope(key[6..], value, inner);
            (attributes ??= []).Add(new(key, value));
        }
        int colon = name.IndexOf(':');
        string prefix = colon > 0 ? name[..colon] : "";
        string ns = inner.Lookup(prefix) ?? WellKnownPrefix(prefix);
        var node = new XmlNode { Name = name, LocalName = colon > 0 ? name[(colon + 1)..] : name, Namespace = ns };
        node.SetAttributes(attributes);
        if (t.InvalidUtf8) problems |= XmlText.Problems.InvalidUtf8;
        return node;
    }

    /// <summary>Prefixes XMPP peers use without declaring them when we joined mid-stream.</summary>
    private static string WellKnownPrefix(string prefix) => prefix switch
    {
        "stream" => XmppNs.Streams,
        "db" => XmppNs.Dialback,
        _ => "",
    };
}
