using System.Text;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests.Output;

/// <summary>The field-by-field writer of `stanzas` writes exactly what the general JSON lines writer writes for its columns.</summary>
public class StanzaJsonWriterTests
{
    private static string Written(RecordWriter<XmppElement> writer, MemoryStream sink, IEnumerable<XmppElement> elements)
    {
        foreach (XmppElement e in elements) writer.Write(e);
        writer.Finish();
        return Encoding.UTF8.GetString(sink.ToArray());
    }

    private static void AssertSameAsColumns(IReadOnlyCollection<XmppElement> elements)
    {
        var general = new MemoryStream();
        var fast = new MemoryStream();
        string expected = Written(new JsonLinesWriter<XmppElement>(new StreamWriter(general, new UTF8Encoding(false)), StanzaColumns.All), general, elements);
        string actual = Written(new StanzaJsonWriter(new StreamWriter(fast, new UTF8Encoding(false))), fast, elements);
        Assert.Equal(elements.Count, expected.Count(c => c == '\n'));
        Assert.Equal(expected, actual);
    }

    public static TheoryData<string> Captures() =>
        [.. Directory.GetFiles(Repo.Captures, "*.pcap*").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Captures))]
    public void EveryElementOfACaptureIsWrittenAsTheColumnsWriteIt(string capture)
    {
        var elements = new List<XmppElement>();
        var output = new AnalyzerOutput(r => { if (r is XmppElement e) elements.Add(e); });
        new CaptureRun(Path.Combine(Repo.Captures, capture), new FlowLimits()).Run(new AnalysisListener(new NoFlowListener(), output: output));
        AssertSameAsColumns(elements);
    }

    [Fact]
    public void UnusualValuesAreWrittenAsTheColumnsWriteThem()
    {
        var v4 = new FlowEnds(1, new Endpoint(Address.Parse("10.0.0.1"), 40000), new Endpoint(Address.Parse("10.0.0.2"), 5222));
        var v6 = new FlowEnds(long.MaxValue, new Endpoint(Address.Parse("2001:db8::1"), 1), new Endpoint(Address.Parse("::ffff:10.0.0.2"), 0));
        static Utf8Text Text(string s) => new(Encoding.UTF8.GetBytes(s));
        XmppElement plain = new()
        {
            Ends = v4, Direction = FlowSide.Client, Time = 1_732_566_474_123_456_789, FirstFrame = 3, LastFrame = 3,
            Kind = "stanza", Name = "message", Summary = "message",
        };
        AssertSameAsColumns(
        [
            plain,
            plain with
            {
                Ends = v6, Direction = FlowSide.Server, Time = -1_500, FirstFrame = 1, LastFrame = 1_234_567_890_123,
                Namespace = "jabber:client", IdUtf8 = Text(""), Type = "chat", FromUtf8 = Text("ロミオ@example.net"), ToUtf8 = Text("a\"b\\c"),
                BodyUtf8 = Text("line\nnext\ttab \u0001 \u007f é 😀"), Summary = "say \"hi\"\r\n", RttMs = 0.0004, Error = "cancel/item-not-found",
                Truncated = true, Size = 1 << 20, XmlUtf8 = Text("<message><body>é</body></message>"),
            },
            plain with { RttMs = 12.3456789, Size = 0, Summary = "" },
            plain with { RttMs = 0, Error = "ü" },
            plain with { RttMs = 1e16 },
        ]);
    }
}
