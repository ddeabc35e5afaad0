using System.Text;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>XEP-0138: after &lt;compressed/&gt; both sides' bytes are zlib streams with a new XML stream inside.</summary>
public class XmppCompressionTests
{
    private const string Compress = "<compress xmlns='http://jabber.org/protocol/compress'><method>zlib</method></compress>";
    private const string Compressed = "<compressed xmlns='http://jabber.org/protocol/compress'/>";
    private const string ServerHeader =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.com' id='s1' version='1.0'>";

    private static readonly byte[] ServerInside = ZlibInflaterTests.CompressToBytes(
        ServerHeader, "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>",
        "<message from='juliet@example.com' type='chat' id='m1'><body>compressed &amp; well</body></message>");

    private static readonly byte[] ClientInside = ZlibInflaterTests.CompressToBytes(
        XmppHarness.ClientHeader, "<message to='juliet@example.com' type='chat' id='m2'><body>hello inside zlib</body></message>");

    /// <summary>The session with the server's compressed bytes fed in pieces cut at <paramref name="cuts"/>.</summary>
    private static List<XmppElement> Session(IEnumerable<int> cuts)
    {
        var harness = new XmppHarness()
            .Feed(FlowSide.Client, XmppHarness.ClientHeader + Compress)
            .Feed(FlowSide.Server, ServerHeader + Compressed);
        int at = 0;
        foreach (int cut in cuts.Append(ServerInside.Length))
        {
            harness.Feed(FlowSide.Server, ServerInside.AsSpan(at, cut - at));
            at = cut;
        }
        return harness.Feed(FlowSide.Client, ClientInside).End().Elements;
    }

    [Fact]
    public void Stanzas_inside_the_compressed_streams_are_decoded_after_the_restart()
    {
        List<XmppElement> elements = Session([]);
        Assert.Equal(
            ["stream-open/stream", "nonza/compress", "stream-open/stream", "nonza/compressed", "stream-open/stream", "nonza/features", "stanza/message", "stream-open/stream", "stanza/message"],
            elements.Select(e => $"{e.Kind}/{e.Name}"));
        Assert.Equal("compressed & well", elements[6].Body);
        Assert.Equal("hello inside zlib", elements[8].Body);
        Assert.DoesNotContain(elements, e => e.Kind == "note");
    }

    [Fact]
    public void Every_cut_of_the_compressed_bytes_gives_the_same_elements()
    {
        List<XmppElement> whole = Session([]);
        for (int cut = 1; cut < ServerInside.Length; cut++) Assert.Equal(whole, Session([cut]));
        Assert.Equal(whole, Session(Enumerable.Range(1, ServerInside.Length - 1)));
    }

    [Fact]
    public void Compressed_bytes_in_the_same_segment_as_compressed_are_inflated_too()
    {
        var harness = new XmppHarness()
            .Feed(FlowSide.Client, XmppHarness.ClientHeader + Compress)
            .Feed(FlowSide.Server, [.. Encoding.UTF8.GetBytes(ServerHeader + Compressed), .. ServerInside]);
        Assert.Contains(harness.End().Elements, e => e.Body == "compressed & well");
    }

    [Fact]
    public void Bytes_that_are_not_zlib_after_compressed_give_one_note_and_nothing_garbled()
    {
        List<XmppElement> elements = new XmppHarness()
            .Feed(FlowSide.Client, XmppHarness.ClientHeader + Compress)
            .Feed(FlowSide.Server, ServerHeader + Compressed)
            .Feed(FlowSide.Server, "<message><body>not compressed</body></message>")
            .Feed(FlowSide.Server, "<message><body>still not</body></message>")
            .End().Elements;
        XmppElement note = Assert.Single(elements, e => e.Kind == "note");
        Assert.Equal("compression", note.Name);
        Assert.DoesNotContain(elements, e => e.Name == "message");
    }

    [Fact]
    public void A_gap_in_a_compressed_stream_stops_reading_that_direction_with_a_note()
    {
        List<XmppElement> elements = new XmppHarness()
            .Feed(FlowSide.Client, XmppHarness.ClientHeader + Compress)
            .Feed(FlowSide.Server, ServerHeader + Compressed)
            .Feed(FlowSide.Server, ServerInside.AsSpan(0, 20))
            .Gap(FlowSide.Server, 100)
            .Feed(FlowSide.Server, ServerInside.AsSpan(40))
            .End().Elements;
        Assert.Contains(elements, e => e.Kind == "note" && e.Name == "compression" && e.Summary.Contains("100 bytes were not captured"));
        Assert.DoesNotContain(elements, e => e.Name == "message");
    }
}
