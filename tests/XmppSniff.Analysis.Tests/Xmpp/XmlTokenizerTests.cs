using System.Text;
using XmppSniff.Analysis.Protocols.Xmpp;

namespace XmppSniff.Analysis.Tests.Xmpp;

public class XmlTokenizerTests
{
    private sealed record Tok(XmlTokenKind Kind, string Text, XmlViolation Violation, int Depth, bool Empty, bool BadUtf8);

    /// <summary>Tokenizes the pieces as a host would (unconsumed bytes offered again); text and skipped runs merged, as pieces may cut them.</summary>
    private static List<Tok> Tokenize(byte[] bytes, IEnumerable<int> cuts, XmlTokenizerState? start = null)
    {
        var tokens = new List<Tok>();
        XmlTokenizerState state = start ?? default;
        var held = new List<byte>();
        int at = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            held.AddRange(bytes[at..cut]);
            at = cut;
            byte[] offer = held.ToArray();
            var tk = new XmlTokenizer(offer, state);
            while (tk.Read())
            {
                XmlToken t = tk.Token;
                var tok = new Tok(t.Kind, Encoding.UTF8.GetString(offer[t.Start..t.End]), t.Violation, t.Depth, t.IsEmptyElement, t.InvalidUtf8);
                if (tokens.Count > 0 && tokens[^1] is { } last && last.Kind == tok.Kind && tok.Kind is XmlTokenKind.Text or XmlTokenKind.Violation && last.Violation == tok.Violation)
                    tokens[^1] = last with { Text = last.Text + tok.Text, BadUtf8 = last.BadUtf8 || tok.BadUtf8 };
                else tokens.Add(tok);
            }
            state = tk.State;
            Assert.InRange(tk.Consumed, 0, offer.Length);
            held.RemoveRange(0, tk.Consumed);
        }
        return tokens;
    }

    private static List<Tok> Whole(string xml) => Tokenize(Encoding.UTF8.GetBytes(xml), []);

    public static TheoryData<string> Documents() => new()
    {
        XmppHarness.ClientHeader + "<message to='a@b' type=\"chat\" id='1'><body>caf\u00e9 &lt;3 &#x1F600; &amp;</body><active xmlns='http://jabber.org/protocol/chatstates'/></message> \n<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq></stream:stream>",
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'><message><body>&lol2;</body></message>",
        XmppHarness.ClientHeader + "<!-- hi --><?pi x?><message><![CDATA[<x>]]></message><message id='m1'><body>ok</body></message>",
        XmppHarness.ClientHeader + "<message <<<garbage>> & <iq id='x' type='get'/><presence/>",
        XmppHarness.ClientHeader + "junk text <presence type='unavailable'/>",
        "ence><body>tail</body></message><iq id='1' type='result'/></stream:stream>",
        XmppHarness.ClientHeader + "<message><body>\u00ff\u00fe</body></message>",
        XmppHarness.ClientHeader + "<iq  a = 'b'\t c=\"d>\"   id='1' /><x a='1'b='2'/><y a='<'/><z a b/><presence/>",
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void SplitAtEveryByteAndByteByByteGiveTheWholeResult(string xml)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(xml);
        var resync = new XmlTokenizerState { Resyncing = true };
        List<Tok> whole = Tokenize(bytes, [], resync);
        Assert.NotEmpty(whole);
        for (int cut = 1; cut < bytes.Length; cut++)
            Assert.Equal(whole, Tokenize(bytes, [cut], resync));
        Assert.Equal(whole, Tokenize(bytes, Enumerable.Range(1, bytes.Length - 1), resync));
    }

    [Fact]
    public void ReadsTagsAttributesTextAndDeclaration()
    {
        List<Tok> t = Whole("<?xml version=\"1.0\"?><stream:stream xmlns='jabber:client' a = \"x'y\"><p:x q:r='1'/><b>hi</b></stream:stream>");
        Assert.Equal(
            [XmlTokenKind.Declaration, XmlTokenKind.StartTag, XmlTokenKind.StartTag, XmlTokenKind.StartTag, XmlTokenKind.Text, XmlTokenKind.EndTag, XmlTokenKind.EndTag],
            t.Select(x => x.Kind));
        Assert.True(t[2].Empty);
        Assert.Equal([0, 0, 1, 1, 2, 1, 0], t.Select(x => x.Depth));
    }

    [Fact]
    public void ALongTextArrivingInPiecesIsSearchedOnFromWhereTheLastPieceEnded()
    {
        // A 64 KiB body in 1,448-byte segments: each offer holds the whole text so far, searched up to where the last stopped.
        string body = new('x', 65_536);
        byte[] bytes = Encoding.UTF8.GetBytes($"<message><body>{body}</body></message>");
        int[] cuts = [.. Enumerable.Range(1, bytes.Length / 1_448).Select(i => i * 1_448)];
        Assert.Equal(Tokenize(bytes, [], new XmlTokenizerState { Depth = 1 }), Tokenize(bytes, cuts, new XmlTokenizerState { Depth = 1 }));

        var tk = new XmlTokenizer(bytes.AsSpan(0, 10_000), new XmlTokenizerState { Depth = 1 });
        while (tk.Read()) { }
        Assert.Equal(("<message><body>".Length, 10_000 - "<message><body>".Length), (tk.Consumed, tk.State.TextSearched));
        var next = new XmlTokenizer(bytes.AsSpan(tk.Consumed), tk.State);
        Assert.True(next.Read());
        Assert.Equal((XmlTokenKind.Text, body.Length, 0), (next.Token.Kind, next.Token.End - next.Token.Start, next.State.TextSearched));
    }

    [Fact]
    public void ALongStartTagArrivingInPiecesIsReadOnFromWhereTheLastPieceEnded()
    {
        // A 100 KB attribute value in 1,448-byte segments: each offer holds the whole tag so far, read on from where the last stopped.
        byte[] bytes = Encoding.UTF8.GetBytes($"<message id='1' x=\"{new string('y', 100_000)}\" to='a@b'><body>hi</body></message>");
        int[] cuts = [.. Enumerable.Range(1, bytes.Length / 1_448).Select(i => i * 1_448)];
        Assert.Equal(Tokenize(bytes, [], new XmlTokenizerState { Depth = 1 }), Tokenize(bytes, cuts, new XmlTokenizerState { Depth = 1 }));

        var tk = new XmlTokenizer(bytes.AsSpan(0, 10_000), new XmlTokenizerState { Depth = 1 });
        Assert.False(tk.Read());
        Assert.Equal((0, 10_000, TagPart.Value, (byte)'"'), (tk.Consumed, tk.State.TagAt, tk.State.TagPart, tk.State.TagQuote));
        var next = new XmlTokenizer(bytes, tk.State);
        Assert.True(next.Read());
        Assert.Equal((XmlTokenKind.StartTag, "message", 0), (next.Token.Kind, Encoding.UTF8.GetString(bytes.AsSpan(next.Token.NameStart, next.Token.NameLength)), next.State.TagAt));
    }

    [Fact]
    public void NeedsMoreInsteadOfFailingOnAnIncompleteTag()
    {
        byte[] bytes = "<message to='a@b"u8.ToArray();
        var tk = new XmlTokenizer(bytes, default);
        Assert.False(tk.Read());
        Assert.Equal(0, tk.Consumed);
    }

    [Fact]
    public void AttributesAreDecodedOnlyForPredefinedEntitiesAndCharacterReferences()
    {
        Assert.Equal("<a & \"b\" 'c' \u00e9 \U0001F600 &foo; &#0;", XmlText.Decode("&lt;a &amp; &quot;b&quot; &apos;c&apos; &#233; &#x1F600; &foo; &#0;"u8));
        var problems = XmlText.Problems.None;
        XmlText.Decode("&lol;"u8, ref problems);
        Assert.Equal(XmlText.Problems.UnknownEntity, problems);
    }

    [Fact]
    public void DtdCommentPiAndCDataAreViolationsAndSkipped()
    {
        List<Tok> t = Whole("<!DOCTYPE x [<!ENTITY a 'b>c'>]><!-- c --><?php x ?><s:stream xmlns:s='x'><m><![CDATA[<z>]]></m>");
        Assert.Equal(
            [XmlViolation.Dtd, XmlViolation.Comment, XmlViolation.ProcessingInstruction],
            t.Where(x => x.Kind == XmlTokenKind.Violation).Take(3).Select(x => x.Violation));
        Assert.Contains(t, x => x.Violation == XmlViolation.CData && x.Text == "<![CDATA[<z>]]>");
        Assert.DoesNotContain(t, x => x.Kind == XmlTokenKind.Text && x.Text.Contains('b'));
    }

    [Fact]
    public void MalformedInputIsSkippedToTheNextPlausibleTopLevelElement()
    {
        List<Tok> t = Whole(XmppHarness.ClientHeader + "<message id=unquoted><body>x</body></message><iq id='1' type='get'/>");
        Tok bad = Assert.Single(t, x => x.Kind == XmlTokenKind.Violation);
        Assert.Equal("<message id=unquoted><body>x</body></message>", bad.Text);
        Tok iq = t[^1];
        Assert.Equal(XmlTokenKind.StartTag, iq.Kind);
        Assert.Equal(1, iq.Depth);
    }

    [Fact]
    public void NestingDeeperThanTheLimitIsAViolation()
    {
        string deep = string.Concat(Enumerable.Repeat("<x>", 300));
        var tk = new XmlTokenizer(Encoding.UTF8.GetBytes(XmppHarness.ClientHeader + "<message>" + deep + "<iq/>"), default);
        var kinds = new List<XmlViolation>();
        while (tk.Read()) kinds.Add(tk.Token.Violation);
        Assert.Contains(XmlViolation.TooDeep, kinds);
        Assert.True(tk.State.Depth <= 256);
    }

    [Fact]
    public void InvalidUtf8IsFlagged()
    {
        byte[] bytes = [.. "<a><b>"u8, 0xC3, 0x28, .. "</b></a>"u8];
        var tk = new XmlTokenizer(bytes, default);
        var bad = new List<bool>();
        while (tk.Read()) bad.Add(tk.Token.InvalidUtf8);
        Assert.Equal([false, false, true, false, false], bad);
    }
}
