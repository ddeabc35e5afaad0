using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Analysis.Tests.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Properties;

/// <summary>
/// Property tests of the XML tokenizer and the XMPP analyzer (FsCheck) over streams assembled from
/// XMPP pieces and hostile ones (DTDs, comments, CDATA, stray and mismatched tags, bad UTF-8, random
/// bytes): never an exception, the same records however the bytes are cut, held bytes within the
/// element bound, and a good stanza after the damage always decoded.
/// </summary>
public class XmlProperties
{
    public sealed record Chunked(byte[] Bytes, int[] Cuts)
    {
        public override string ToString() =>
            $"cuts [{string.Join(",", Cuts)}] bytes \"{Encoding.UTF8.GetString(Bytes).Replace("\"", "\\\"")}\"";
    }

    private static readonly string[] Pieces =
    [
        XmppHarness.ClientHeader, "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>",
        "</stream:stream>", "<message id='m' type='chat'>", "</message>", "<body>", "</body>", "hello &amp; &lt;",
        "<presence/>", "<iq type='get' id='i'>", "</iq>", "<query xmlns='jabber:iq:roster'/>", "<a>", "</a>", "<r xmlns='urn:xmpp:sm:3'/>",
        "<x><x><x><x><x><x><x><x>", "</x></x></x></x>", "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth>",
        "<!DOCTYPE x [<!ENTITY a 'b'>]>", "<!-- c -->", "<![CDATA[ d ]]>", "<?pi x?>", "<?xml version='1.0'?>", "&undefined;", "&#0;",
        "<", ">", "/", "'", "\"", "=", "</", "<message id='", " ", "\r\n", "]]>", "-->", "<!", "<!--", "<![CDATA[", "<?",
        "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features>", "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
    ];

    private static readonly Gen<byte[]> Piece = Gen.Frequency(
        (8, Gen.Elements(Pieces).Select(Encoding.UTF8.GetBytes)),
        (1, Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 3)),
        (1, Gen.Elements<byte[]>([0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xF0, 0x9F, 0x98], [0x00])));

    private static readonly Gen<byte[]> Streams =
        from pieces in Gen.ListOf(Piece)
        select pieces.SelectMany(p => p).ToArray();

    public static class Generators
    {
        public static Arbitrary<Chunked> Chunked() =>
            (from bytes in Streams
             from cuts in Gen.ListOf(Gen.Choose(1, Math.Max(1, bytes.Length - 1)))
             select new Chunked(bytes, cuts.Where(c => c < bytes.Length).Distinct().Order().ToArray())).ToArbitrary();
    }

    private const string After = "<iq id='after' type='get'><ping xmlns='urn:xmpp:ping'/></iq>";

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 400)]
    public void TokenizerNeverThrowsAndMakesProgress(Chunked input)
    {
        var tokenizer = new XmlTokenizer(input.Bytes, default, new XmlTokenizerOptions { PartialText = true });
        int last = 0, tokens = 0;
        while (tokenizer.Read())
        {
            Assert.True(tokenizer.Token.Start >= 0 && tokenizer.Token.End <= input.Bytes.Length);
            Assert.True(tokenizer.Consumed >= last);
            last = tokenizer.Consumed;
            Assert.True(++tokens <= input.Bytes.Length + 1);
        }
        Assert.InRange(tokenizer.Consumed, 0, input.Bytes.Length);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 400)]
    public void AnalyzerGivesTheSameRecordsHoweverTheBytesAreCut(Chunked input)
    {
        List<XmppElement> whole = XmppHarness.Whole(input.Bytes);
        List<XmppElement> split = XmppHarness.Split(input.Bytes, input.Cuts);
        Assert.True(whole.SequenceEqual(split), "whole:\n" + Show(whole) + "\nsplit:\n" + Show(split));
        Assert.True(whole.Count <= input.Bytes.Length + 2);
    }

    private static string Show(List<XmppElement> elements) =>
        string.Join("\n", elements.Select(e => $"{e.Kind} {e.Name} {e.Summary} | {e.Xml}"));

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 300)]
    public void AGoodStanzaAfterAnyDamageIsDecoded(Chunked input)
    {
        // A stream header, damage, more than the element bound of filler (so an unterminated comment, CDATA,
        // tag or element left open by the damage is cut by the bound), a stream restart and a good stanza.
        byte[] bytes = [.. Encoding.UTF8.GetBytes(XmppHarness.ClientHeader), .. input.Bytes, .. new byte[5000].Select(_ => (byte)' '),
            .. Encoding.UTF8.GetBytes(XmppHarness.ClientHeader + After)];
        var options = new XmppOptions { MaxElementBytes = 4096 };
        var harness = new XmppHarness(options);
        harness.Feed(FlowSide.Client, bytes.AsSpan(0, bytes.Length / 2)).Feed(FlowSide.Client, bytes.AsSpan(bytes.Length / 2));
        harness.End();
        bool stopped = Encoding.UTF8.GetString(bytes).Contains("<proceed");
        if (!stopped) Assert.Contains(harness.Elements, e => e.Id == "after" && e.Summary.Contains("ping"));
        Assert.True(harness.MaxHeld <= bytes.Length);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 200)]
    public void HeldBytesStayWithinTheElementBound(Chunked input)
    {
        var options = new XmppOptions { MaxElementBytes = 1024, Counters = new ElementLimitCounters() };
        var harness = new XmppHarness(options);
        // Ten copies fed 97 bytes at a time: long runs of damage, elements and unfinished constructs.
        byte[] bytes = Enumerable.Repeat(input.Bytes, 10).SelectMany(b => b).ToArray();
        for (int at = 0; at < bytes.Length; at += 97) harness.Feed(FlowSide.Client, bytes.AsSpan(at, Math.Min(97, bytes.Length - at)));
        Assert.True(harness.MaxHeld <= options.MaxElementBytes + 97, $"held {harness.MaxHeld}");
    }
}
