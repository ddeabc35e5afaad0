using System.Runtime.CompilerServices;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>Nested elements' attributes are decoded only when asked for: what they decode to, and what is wrong with them, must not change.</summary>
public class XmlTreeBuilderTests
{
    private static XmlTreeBuilder.Result Build(byte[] element, XmlNodePool? pool = null)
    {
        var tokens = new List<XmlToken>();
        var tokenizer = new XmlTokenizer(element, new XmlTokenizerState());
        while (tokenizer.Read()) tokens.Add(tokenizer.Token);
        return XmlTreeBuilder.Build(element, NamespaceScope.Xml, tokens, pool);
    }

    [Fact]
    public void NestedAttributesDecodeWhenAskedFor()
    {
        XmlTreeBuilder.Result result = Build("<message id='m&amp;1'><x xmlns='urn:x' a='1 &lt; 2' b=\"it's\"/></message>"u8.ToArray());
        Assert.Null(result.Error);
        XmlNode x = result.Root!.Child("x", "urn:x")!;
        Assert.Equal("1 < 2", x.Attribute("a"));
        Assert.Equal("it's", x.Attribute("b"));
        Assert.Null(x.Attribute("c"));
        Assert.Equal(["xmlns", "a", "b"], x.Attributes.Select(a => a.Key));
        Assert.Equal("urn:x", x.Attributes[0].Value);
        Assert.Equal("m&1", result.Root.Attribute("id"));
    }

    [Fact]
    public void AnAttributeIsFoundByItsExactNameDecodedOnceTheFirstOfTwoWins()
    {
        XmlNode root = Build("<iq  type = 'get' id=\"a&amp;b\" idx='2' id='second' xml:lang='en'/>"u8.ToArray()).Root!;
        Assert.Equal("get", root.Attribute("type"));
        string id = root.Attribute("id")!;
        Assert.Equal("a&b", id);
        Assert.Same(id, root.Attribute("id"));
        Assert.Equal("2", root.Attribute("idx"));
        Assert.Equal("en", root.Attribute("xml:lang"));
        Assert.Null(root.Attribute("i"));
        Assert.Null(root.Attribute("ID"));
        Assert.Equal(["type", "id", "idx", "id", "xml:lang"], root.Attributes.Select(a => a.Key));
        Assert.Equal("a&b", root.Attribute("id"));
    }

    [Fact]
    public void AnAttributeAsUtf8IsTheElementsOwnBytesUnlessItHoldsAReference()
    {
        byte[] element = "<message id='m1' to='a&amp;b@example.com' from='j\u00FCliet@example.com'/>"u8.ToArray();
        XmlNode root = Build(element).Root!;
        Utf8Text id = root.AttributeUtf8("id")!.Value;
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(id.Bytes, out ArraySegment<byte> slice));
        Assert.Same(element, slice.Array);
        Assert.Equal("m1", id.ToString());
        Assert.Equal("a&b@example.com", root.AttributeUtf8("to").ToString());
        Assert.Equal("j\u00FCliet@example.com", root.AttributeUtf8("from").ToString());
        Assert.Null(root.AttributeUtf8("type"));
    }

    [Fact]
    public void SiblingsDeclaringTheSameNamespaceShareOneScope()
    {
        NamespaceScope outer = NamespaceScope.Xml.With("", "jabber:client");
        Assert.Same(outer.With("", "urn:x"), outer.With("", "urn:x"));
        Assert.NotSame(outer.With("", "urn:x"), outer.With("p", "urn:x"));
        Assert.NotSame(outer.With("", "urn:x"), NamespaceScope.Xml.With("", "urn:x"));
        NamespaceScope inner = outer.With("", "urn:y");
        Assert.Equal(("urn:y", "jabber:client"), (inner.Lookup(""), inner.Outer!.Lookup("")));
    }

    [Fact]
    public void StreamsReadInTurnKeepSharingTheirScopes()
    {
        // An analysing thread follows hundreds of streams at once, each with a header scope of its own, and their
        // stanzas declare the same few namespaces: a declaration met again after the other streams' is still shared.
        NamespaceScope[] streams = [.. Enumerable.Range(0, 500).Select(_ => new NamespaceScope("", "jabber:client", NamespaceScope.Xml))];
        NamespaceScope[] first = [.. streams.Select(s => s.With("", "urn:xmpp:sm:3"))];
        int shared = streams.Where((s, i) => ReferenceEquals(s.With("", "urn:xmpp:sm:3"), first[i])).Count();
        Assert.True(shared >= 450, $"{shared} of 500 shared"); // a slot two declarations both take is made again
    }

    [Fact]
    public void NamesThatLookAlikeToTheStringCacheStayApart()
    {
        // Same length, same first and last eight bytes: the cache's cheap hash cannot tell them apart, its comparison must.
        XmlNode a = Build("<x xmlns='http://example.org/AAAA#namespace'/>"u8.ToArray()).Root!;
        XmlNode b = Build("<x xmlns='http://example.org/BBBB#namespace'/>"u8.ToArray()).Root!;
        XmlNode c = Build("<x xmlns='http://example.org/AAAA#namespace'/>"u8.ToArray()).Root!;
        Assert.Equal(("http://example.org/AAAA#namespace", "http://example.org/BBBB#namespace"), (a.Namespace, b.Namespace));
        Assert.Equal(a.Namespace, c.Namespace);
    }

    [Fact]
    public void ProblemsInAttributesNobodyReadsAreStillReported()
    {
        XmlTreeBuilder.Result entity = Build("<message id='a'><x xmlns='urn:x' a='&bogus;'/></message>"u8.ToArray());
        Assert.Equal("undefined entity (not expanded)", entity.Error);
        Assert.Equal("&bogus;", entity.Root!.Child("x")!.Attribute("a"));

        XmlTreeBuilder.Result utf8 = Build([.. "<message id='a'><x a='"u8, 0xFF, .. "'/></message>"u8]);
        Assert.True(utf8.InvalidUtf8);
        Assert.Equal("invalid UTF-8", utf8.Error);
        Assert.Equal("\uFFFD", utf8.Root!.Child("x")!.Attribute("a"));
    }

    [Fact]
    public void ANodeReusedForTheNextElementKeepsNothingOfTheLastOne()
    {
        XmlNodePool pool = XmlNodePool.Lend()!;
        try
        {
            Assert.Null(XmlNodePool.Lend()); // an element described while this tree is read gets fresh nodes
            XmlNode first = Build("<message id='a'><body>hi &amp; bye</body><x xmlns='urn:x' k='v'>t<y/>u</x></message>"u8.ToArray(), pool).Root!;
            Assert.Equal("hi & bye", first.Child("body")!.Text);
            Assert.Equal("tu", first.Child("x")!.Text);
            Assert.Equal("v", first.Child("x")!.Attribute("k"));
            pool.Return();

            pool = XmlNodePool.Lend()!;
            XmlNode second = Build("<iq type='get'><query xmlns='urn:q'/><z>w</z></iq>"u8.ToArray(), pool).Root!;
            Assert.Same(first, second);
            Assert.Equal(("iq", ""), (second.Name, second.Namespace));
            Assert.Null(second.Attribute("id"));
            Assert.Equal("get", second.Attribute("type"));
            Assert.Equal("", second.Text);
            Assert.Equal(["query", "z"], second.Children.Select(c => c.Name));
            XmlNode query = second.Children[0];
            Assert.Equal("urn:q", query.Namespace);
            Assert.Null(query.Attribute("k"));
            Assert.Equal(["xmlns"], query.Attributes.Select(a => a.Key));
            Assert.Equal("", query.Text);
            Assert.Empty(query.TextSpans);
            XmlNode z = second.Children[1];
            Assert.Empty(z.Children);
            Assert.Equal("w", z.Text);
            Assert.Single(z.TextSpans);
            Assert.Empty(z.Attributes);
            Assert.Null(z.Attribute("k"));
        }
        finally
        {
            pool.Return();
        }
    }

    [Fact]
    public void AReturnedPoolHoldsNothingOfItsLastElement()
    {
        WeakReference element = BuildAndReturn();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(element.IsAlive, "a pooled node still refers to the last element's bytes");
    }

    // A frame of its own, so no local of the test keeps the element alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference BuildAndReturn()
    {
        byte[] element = "<message id='a'><body>hi</body><x xmlns='urn:x' k='v'/></message>"u8.ToArray();
        XmlNodePool pool = XmlNodePool.Lend()!;
        try
        {
            XmlNode root = Build(element, pool).Root!;
            Assert.Equal("hi", root.Child("body")!.Text);
        }
        finally
        {
            pool.Return();
        }
        return new WeakReference(element);
    }
}
