using System.Text;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

public class XmppAnalyzerTests
{
    private const FlowSide C = FlowSide.Client;
    private const FlowSide S = FlowSide.Server;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void FiftyStanzasInOneSegment()
    {
        var text = new StringBuilder(XmppHarness.ClientHeader);
        for (int i = 0; i < 50; i++) text.Append($"<message id='m{i}' to='b@example.com' type='chat'><body>n\u00ba {i} &amp; &lt;ok&gt;</body></message>");
        List<XmppElement> elements = XmppHarness.Whole(Utf8(text.ToString()));
        Assert.Equal(51, elements.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), elements.Skip(1).Select(e => e.Id));
        Assert.Equal("n\u00ba 7 & <ok>", elements[8].Body);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("line one\r\nline two\rthree\nfour\ffive\u0085six\u2028seven\u2029eight")]
    [InlineData("exactly eighty characters of text.................................................")]
    [InlineData("eighty-one characters of text....................................................")]
    [InlineData("a CRLF right at the cut of seventy-seven characters.........................\r\nafter the cut")]
    [InlineData("\r\n\r\n\n\r")]
    public void A_body_is_summarised_on_one_line_and_clipped_like_replace_line_endings(string body) => AssertSummaryOfBody(body);

    [Fact]
    public void A_long_body_is_clipped_from_its_start_alone_as_if_all_were_decoded()
    {
        // Long enough that only the start is decoded for the summary: ASCII, multi-byte characters, references, line breaks.
        AssertSummaryOfBody(new string('x', 5000));
        AssertSummaryOfBody(new string('\n', 170) + new string('x', 5000));
        AssertSummaryOfBody(string.Concat(Enumerable.Repeat("\r\n", 150)) + new string('y', 5000));
        AssertSummaryOfBody(new string('\u00e9', 3000));
        AssertSummaryOfBody(string.Concat(Enumerable.Repeat("\u2603 <&> ", 400)));
        AssertSummaryOfBody(new string('a', 200) + new string('\u00e9', 3000));
    }

    private static void AssertSummaryOfBody(string body)
    {
        string flat = body.ReplaceLineEndings(" ");
        string expected = "message chat: \"" + (flat.Length <= 80 ? flat : flat[..77] + "...") + "\"";
        string escaped = body.Replace("&", "&amp;").Replace("<", "&lt;").Replace("\r", "&#13;");
        List<XmppElement> elements = XmppHarness.Whole(Utf8(XmppHarness.ClientHeader + $"<message type='chat'><body>{escaped}</body></message>"));
        Assert.Equal(expected, elements[^1].Summary);
        Assert.Equal(body, elements[^1].Body);
    }

    [Fact]
    public void OneStanzaAcrossAHundredSegments()
    {
        byte[] stanza = Utf8("<message id='big' type='chat'><body>" + new string('x', 5000) + "</body></message>");
        var harness = new XmppHarness().Feed(C, XmppHarness.ClientHeader, frame: 1);
        int piece = (stanza.Length + 99) / 100;
        for (int i = 0; i < 100; i++)
            harness.Feed(C, stanza.AsSpan(i * piece, Math.Min(piece, stanza.Length - i * piece)), time: i, frame: 10 + i);
        XmppElement message = harness.Elements[^1];
        Assert.Equal("big", message.Id);
        Assert.Equal(5000, message.Body!.Length);
        Assert.Equal(10, message.FirstFrame);
        Assert.Equal(109, message.LastFrame);
    }

    [Fact]
    public void BillionLaughsIsSkippedAndNothingIsExpanded()
    {
        var dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : i - 1)};", 10))}\">");
        dtd.Append("]>");
        string stream = dtd + XmppHarness.ClientHeader[21..] + "<message id='a'><body>&lol9;</body></message><presence id='b'/>";
        byte[] bytes = Utf8(stream);
        List<XmppElement> elements = XmppHarness.Whole(bytes);
        Assert.Equal(["dtd", "stream", "message", "presence"], elements.Select(e => e.Name));
        Assert.Equal("&lol9;", elements[2].Body);
        Assert.Equal("undefined entity (not expanded)", elements[2].Error);
        Assert.True(elements.Sum(e => (e.Xml ?? "").Length + e.Summary.Length) < 4 * bytes.Length);
        Assert.Equal(elements, XmppHarness.ByteByByte(bytes));
    }

    [Fact]
    public void AnElementLargerThanTheLimitIsTruncatedAndTheStreamGoesOn()
    {
        var options = new XmppOptions { MaxElementBytes = 4096 };
        string big = "<message id='huge' type='chat'><body>" + new string('y', 20000) + "</body><x><y>z</y></x></message>";
        byte[] bytes = Utf8(XmppHarness.ClientHeader + big + "<iq id='after' type='get'><ping xmlns='urn:xmpp:ping'/></iq>");
        foreach (List<XmppElement> elements in new[] { XmppHarness.Whole(bytes, options), XmppHarness.Split(bytes, Enumerable.Range(1, bytes.Length / 1000).Select(i => i * 1000), options), XmppHarness.ByteByByte(bytes, options) })
        {
            XmppElement huge = Assert.Single(elements, e => e.Id == "huge");
            Assert.True(huge.Truncated);
            Assert.Equal(Encoding.UTF8.GetByteCount(big), huge.Size);
            Assert.Equal("<message id='huge' type='chat'>", huge.Xml);
            Assert.Contains(elements, e => e.Id == "after" && e.Summary.Contains("ping"));
        }
        var harness = new XmppHarness(options);
        foreach (byte b in bytes) harness.Feed(C, [b]);
        Assert.True(harness.MaxHeld <= options.MaxElementBytes + 64, $"held {harness.MaxHeld}: " + string.Join("|", harness.Elements.Select(e => e.Summary)));
    }

    [Fact]
    public void MalformedBytesInsideAnOversizedElementEndItAndTheNextStanzaIsRead()
    {
        var options = new XmppOptions { MaxElementBytes = 2048 };
        byte[] bytes = Utf8(XmppHarness.ClientHeader + "<message id='huge'><body>" + new string('y', 5000) + "<<bad</body></message><presence id='next'/>");
        foreach (List<XmppElement> elements in new[] { XmppHarness.Whole(bytes, options), XmppHarness.ByteByByte(bytes, options) })
        {
            Assert.True(Assert.Single(elements, e => e.Id == "huge").Truncated);
            Assert.Equal("next", elements[^1].Id);
        }
        Assert.Equal(XmppHarness.Whole(bytes, options), XmppHarness.ByteByByte(bytes, options));
    }

    [Fact]
    public void AMismatchedEndTagEndsAnOversizedElementHoweverItArrives()
    {
        // The names open in the skipped element must survive from one offer to the next.
        var options = new XmppOptions { MaxElementBytes = 2048 };
        byte[] bytes = Utf8(XmppHarness.ClientHeader + "<message id='huge'><body>" + new string('y', 5000) + "</x></message><presence id='next'/>");
        List<XmppElement> whole = XmppHarness.Whole(bytes, options);
        XmppElement huge = Assert.Single(whole, e => e.Id == "huge");
        Assert.Contains("not well-formed", huge.Error);
        Assert.Equal(whole, XmppHarness.ByteByByte(bytes, options));
        Assert.Equal(whole, XmppHarness.Split(bytes, [200, 3000], options));
    }

    [Fact]
    public void MalformedXmlFollowedByGoodStanzas()
    {
        byte[] bytes = Utf8(XmppHarness.ClientHeader + "<message id=bad><body>x</body></message>\u0001\u0002 garbage <<< <iq id='1' type='get'><query xmlns='jabber:iq:roster'/></iq><presence id='2'/>");
        List<XmppElement> elements = XmppHarness.Whole(bytes);
        Assert.Equal(["stream-open", "note", "stanza", "stanza", "note"], elements.Select(e => e.Kind));
        Assert.Equal("malformed", elements[1].Name);
        Assert.Contains("roster", elements[2].Summary);
        Assert.Equal("2", elements[3].Id);
        for (int cut = 1; cut < bytes.Length; cut++) Assert.Equal(elements, XmppHarness.Split(bytes, [cut]));
    }

    private const string PlainPayload = "AGp1bGlldABzM2NyZXQtcGFzcw=="; // "\0juliet\0s3cret-pass"

    private static List<XmppElement> SaslSession(bool showSecrets)
    {
        var h = new XmppHarness(new XmppOptions { ShowSecrets = showSecrets });
        h.Feed(C, XmppHarness.ClientHeader, 1, 1)
            .Feed(S, XmppHarness.ServerHeader + "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>", 2, 2)
            .Feed(C, $"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{PlainPayload}</auth>", 3, 3)
            .Feed(S, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", 4, 4)
            .Feed(C, XmppHarness.ClientHeader, 5, 5)
            .Feed(S, XmppHarness.ServerHeader + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><sm xmlns='urn:xmpp:sm:3'/></stream:features>", 6, 6)
            .Feed(C, "<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>r</resource></bind></iq>", 7_000_000, 7)
            .Feed(S, "<iq type='result' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>juliet@example.com/r</jid></bind></iq>", 9_500_000, 8)
            .Feed(C, "<iq type='set' id='reg'><query xmlns='jabber:iq:register'><username>j</username><password>hunter2</password></query></iq>", 10_000_000, 9)
            .End();
        return h.Elements;
    }

    [Fact]
    public void SaslPlainPayloadNeverAppearsUnlessSecretsAreShown()
    {
        List<XmppElement> hidden = SaslSession(showSecrets: false);
        string all = string.Join("\n", hidden.Select(e => e.ToString()));
        Assert.DoesNotContain(PlainPayload, all);
        Assert.DoesNotContain("hunter2", all);
        XmppElement auth = Assert.Single(hidden, e => e.Name == "auth");
        Assert.Equal("SASL auth PLAIN [28 chars redacted]", auth.Summary);
        Assert.Contains("[redacted 28 bytes]", auth.Xml);

        string shown = string.Join("\n", SaslSession(showSecrets: true).Select(e => e.ToString()));
        Assert.Contains(PlainPayload, shown);
        Assert.Contains("hunter2", shown);
    }

    [Fact]
    public void StreamRestartsAfterSaslSuccessAndIqsArePaired()
    {
        List<XmppElement> e = SaslSession(showSecrets: false);
        Assert.Equal(
            ["stream-open", "stream-open", "features", "auth", "success", "stream-open", "stream-open", "features", "iq", "iq", "iq", "unanswered-iq"],
            e.Select(x => x.Kind == "stream-open" ? x.Kind : x.Name));
        XmppElement result = e[9];
        Assert.Equal(2.5, result.RttMs);
        Assert.Equal("set bind", result.Answers);
        Assert.Null(e[8].Answers); // the request itself
        Assert.Contains("juliet@example.com/r", result.Summary);
        Assert.Equal("features: bind, sm", e[7].Summary);
        Assert.Equal("reg", e[11].Id);
    }

    [Fact]
    public void StartTlsProceedStopsParsingBothDirections()
    {
        var h = new XmppHarness();
        h.Feed(C, XmppHarness.ClientHeader).Feed(S, XmppHarness.ServerHeader + "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>")
            .Feed(C, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
            .Feed(S, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>\x16\x03\x01 <iq id='no'/>")
            .Feed(C, "\x16\x03\x01\x02\x00<message id='no'/>").End();
        Assert.Equal("features: starttls (required)", h.Elements[2].Summary);
        Assert.Equal("proceed", h.Elements[^1].Name);
        Assert.Equal(true, h.Analyzer.Describe()["starttls"]);
    }

    [Fact]
    public void StreamManagementAcksAreCheckedAgainstStanzasSent()
    {
        var h = new XmppHarness();
        h.Feed(C, XmppHarness.ClientHeader).Feed(S, XmppHarness.ServerHeader)
            .Feed(C, "<enable xmlns='urn:xmpp:sm:3' resume='true'/>")
            .Feed(S, "<enabled xmlns='urn:xmpp:sm:3' id='x' resume='true'/>")
            .Feed(C, "<message id='1'/><presence/><r xmlns='urn:xmpp:sm:3'/>")
            .Feed(S, "<a xmlns='urn:xmpp:sm:3' h='2'/>")
            .Feed(C, "<message id='3'/><r xmlns='urn:xmpp:sm:3'/>")
            .Feed(S, "<a xmlns='urn:xmpp:sm:3' h='5'/>");
        Assert.Equal(["SM enable (resume)", "SM enabled id=x resume=true"], h.Elements.Where(e => e.Summary.StartsWith("SM en")).Select(e => e.Summary));
        XmppElement note = Assert.Single(h.Elements, e => e.Kind == "note");
        Assert.Equal("sm-ack-mismatch", note.Name);
        Assert.Contains("acknowledges 5 stanzas but only 3 were sent", note.Summary);
    }

    [Theory]
    [InlineData("<iq type='get' id='q'/>", "get")]
    [InlineData("<iq type='set' id='q'><query xmlns='jabber:iq:roster'><item jid='a@b'/></query></iq>", "set roster")]
    [InlineData("<iq type='get' id='q'><query xmlns='http://jabber.org/protocol/disco#info'/><x xmlns='urn:example:other'/></iq>", "get disco#info,urn:example:other")]
    public void An_answer_says_what_its_request_asked(string request, string asks)
    {
        var h = new XmppHarness();
        h.Feed(C, XmppHarness.ClientHeader).Feed(S, XmppHarness.ServerHeader).Feed(C, request).Feed(S, "<iq type='result' id='q'/>");
        Assert.Equal(asks, h.Elements[^1].Answers);
    }

    [Fact]
    public void The_connection_says_how_fast_its_iqs_were_answered_and_how_many_never_were()
    {
        var h = new XmppHarness();
        h.Feed(C, XmppHarness.ClientHeader, 0, 1).Feed(S, XmppHarness.ServerHeader, 0, 2)
            .Feed(C, "<iq type='get' id='a'><ping xmlns='urn:xmpp:ping'/></iq><iq type='get' id='b'><ping xmlns='urn:xmpp:ping'/></iq><iq type='set' id='c'/>", 1_000_000, 3)
            .Feed(S, "<iq type='result' id='a'/>", 2_000_000, 4)
            .Feed(S, "<iq type='error' id='b'/>", 5_000_000, 5);
        IReadOnlyDictionary<string, object?> learned = h.Analyzer.Describe();
        Assert.Equal(2L, learned["iq_answered"]);
        Assert.Equal(2.5, learned["iq_rtt_mean_ms"]);
        Assert.Equal(4.0, learned["iq_rtt_max_ms"]);
        Assert.Equal(1L, learned["iq_unanswered"]);
    }

    [Fact]
    public void MidStreamFlowsDecodeTopLevelStanzas()
    {
        var h = new XmppHarness();
        h.Feed(C, "ody>cut</body></message><iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>", 1_000_000, 1)
            .Feed(S, "<iq type='result' id='p1'/></stream:stream>", 3_000_000, 2);
        Assert.Equal(["malformed", "iq", "iq", "stream"], h.Elements.Select(e => e.Name));
        Assert.Equal(2.0, h.Elements[2].RttMs);
        Assert.Equal("get ping", h.Elements[2].Answers);
        Assert.Equal("stream-close", h.Elements[3].Kind);
    }

    [Fact]
    public void AfterAGapTheAnalyzerResynchronisesOnTheNextTopLevelElement()
    {
        var h = new XmppHarness();
        h.Feed(C, XmppHarness.ClientHeader + "<message id='1'><body>before</bo");
        h.Gap(C, 100);
        h.Feed(C, "dy></message><message id='2'><body>after</body></message>");
        Assert.Equal(["stream", "gap", "malformed", "message"], h.Elements.Select(e => e.Name));
        Assert.Equal("skipped 13 bytes: bytes that are not well-formed XML", h.Elements[2].Summary);
        Assert.Equal("after", h.Elements[3].Body);
    }

    [Fact]
    public void StanzaErrorsAndExtensionsAreNamed()
    {
        var h = new XmppHarness();
        h.Feed(C, XmppHarness.ClientHeader)
            .Feed(S, "<iq type='error' id='e'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>")
            .Feed(S, "<message type='chat' from='a@b/c'><body>hi</body><active xmlns='http://jabber.org/protocol/chatstates'/><request xmlns='urn:xmpp:receipts'/><delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:25Z'/></message>")
            .Feed(S, "<message type='chat'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'/></received></message>")
            .Feed(C, "<presence to='room@muc/nick'><x xmlns='http://jabber.org/protocol/muc'/></presence>")
            .Feed(C, "<iq type='set' id='m'><query xmlns='urn:xmpp:mam:2'/></iq>");
        Assert.Equal("cancel/item-not-found", h.Elements[1].Error);
        Assert.Equal("iq error: cancel/item-not-found", h.Elements[1].Summary);
        Assert.Equal("message chat: \"hi\" chat state active, receipt request, delay 2002-09-10T23:08:25Z", h.Elements[2].Summary);
        Assert.Equal("message chat carbons received", h.Elements[3].Summary);
        Assert.Equal("presence available MUC join", h.Elements[4].Summary);
        Assert.Equal("iq set MAM query", h.Elements[5].Summary);
    }

    [Theory]
    [InlineData("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>", ProbeVerdict.Yes)]
    [InlineData("<?xml version=\"1.0\"?>\n<stream:stream xmlns=\"jabber:server\" xmlns:stream=\"http://etherx.jabber.org/streams\">", ProbeVerdict.Yes)]
    [InlineData("<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:component:accept'>", ProbeVerdict.Yes)]
    [InlineData("<iq type='get' id='1'>", ProbeVerdict.Yes)]
    [InlineData("<presence/>", ProbeVerdict.Yes)]
    [InlineData("</stream:stream>", ProbeVerdict.Yes)]
    [InlineData("<stream:stream xmlns='jabber:cl", ProbeVerdict.NeedMore)]
    [InlineData("<?xml vers", ProbeVerdict.NeedMore)]
    [InlineData("<mess", ProbeVerdict.NeedMore)]
    [InlineData("<stream:stream xmlns='urn:other'>", ProbeVerdict.No)]
    [InlineData("GET / HTTP/1.1\r\n", ProbeVerdict.No)]
    [InlineData("\x16\x03\x01\x02\x00\x01", ProbeVerdict.No)]
    [InlineData("<html>", ProbeVerdict.No)]
    [InlineData("<iqx>", ProbeVerdict.No)]
    [InlineData("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a \"b>\"><!ENTITY c 'd'>]><!-- hi --><stream:stream xmlns='jabber:client'>", ProbeVerdict.Yes)]
    [InlineData("<!DOCTYPE x [<!ENTITY a 'b'>", ProbeVerdict.NeedMore)]
    [InlineData("<!DOCTYPE html><html>", ProbeVerdict.No)]
    [InlineData("<!-- x --><html>", ProbeVerdict.No)]
    [InlineData("<!x>", ProbeVerdict.No)]
    public void ProbeRecognisesStreamHeadersAndMidStreamStanzas(string first, ProbeVerdict expected)
    {
        Assert.Equal(expected.ToString(), XmppProbe.ProbeSide(Utf8(first)).ToString());
        Assert.Equal(expected.ToString(), XmppProbe.Probe([], Utf8(first)).ToString() is "NeedMore" && expected == ProbeVerdict.No ? "No" : XmppProbe.Probe([], Utf8(first)).ToString());
    }

    public enum ProbeVerdict
    {
        No,
        NeedMore,
        Yes,
    }
}
