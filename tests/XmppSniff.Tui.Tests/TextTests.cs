using XmppSniff.Tui.Filtering;
using XmppSniff.Tui.Model;
using XmppSniff.Tui.Text;

namespace XmppSniff.Tui.Tests;

public class XmlPrettyTests
{
    [Fact]
    public void Nested_elements_indent_and_text_only_elements_stay_on_one_line()
    {
        List<string> lines = XmlPretty.Lines("<message to='a' type='chat'><body>hi &gt; there</body><x a='1>2'/></message>");
        Assert.Equal(["<message to='a' type='chat'>", "  <body>hi &gt; there</body>", "  <x a='1>2'/>", "</message>"], lines);
    }

    [Fact]
    public void A_long_start_tag_puts_each_attribute_on_its_own_line()
    {
        string header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.test' version='1.0' xml:lang='en' id='a-very-long-stream-id'>";
        List<string> lines = XmlPretty.Lines(header);
        Assert.Equal("<stream:stream", lines[0]);
        Assert.Equal("    xmlns='jabber:client'", lines[1]);
        Assert.Equal("    id='a-very-long-stream-id'>", lines[^1]);
        Assert.Equal(7, lines.Count);
    }

    [Fact]
    public void Truncated_xml_prints_as_far_as_it_goes()
    {
        List<string> lines = XmlPretty.Lines("<iq type='get'><query xmlns='jabber:iq:roster'");
        Assert.Equal(["<iq type='get'>", "  <query xmlns='jabber:iq:roster'"], lines);
    }
}

public class RowFilterTests
{
    private sealed record Row(string State, string From, int Port, string Text);

    private static readonly FilterFields<Row> Fields = new(
        new Dictionary<string, Func<Row, string?>> { ["state"] = r => r.State, ["from"] = r => r.From },
        r => r.Text,
        r => [("127.0.0.1", r.Port)]);

    private static bool Matches(string filter, Row row)
    {
        Assert.True(RowFilter<Row>.TryParse(filter, Fields, out RowFilter<Row>? parsed, out string? error), error);
        return parsed!.Matches(row);
    }

    private static string Error(string filter)
    {
        Assert.False(RowFilter<Row>.TryParse(filter, Fields, out _, out string? error));
        return error!;
    }

    private static readonly Row Alice = new("RSTO", "alice@example.test/phone", 5222, "hello world");

    [Fact]
    public void Fields_compare_ignoring_case_and_a_bare_jid_matches_its_full_jids()
    {
        Assert.True(Matches("state=rsto", Alice));
        Assert.False(Matches("state=SF", Alice));
        Assert.True(Matches("state!=SF", Alice));
        Assert.True(Matches("from=alice@example.test", Alice));
        Assert.False(Matches("from=alice@example.tes", Alice));
        Assert.True(Matches("from=ali*", Alice));
    }

    [Fact]
    public void Ports_free_text_and_negation_combine_with_and()
    {
        Assert.True(Matches("port 5222 hello", Alice));
        Assert.False(Matches("port 5223", Alice));
        Assert.True(Matches("port=5222", Alice));
        Assert.False(Matches("hello !world", Alice));
        Assert.True(Matches("host 127.0.0.1", Alice));
        Assert.True(Matches("", Alice));
    }

    [Fact]
    public void Invalid_filters_say_why()
    {
        Assert.Contains("unknown field 'colour'", Error("colour=red"));
        Assert.Contains("state", Error("colour=red"));
        Assert.Contains("'x' is not a port number", Error("port x"));
        Assert.Contains("needs a value", Error("port"));
    }
}

public class AppendListTests
{
    [Fact]
    public void Items_keep_their_values_across_chunk_boundaries()
    {
        var list = new AppendList<int>();
        for (int i = 0; i < 70_000; i++) list.Add(i * 3);
        Assert.Equal(70_000, list.Count);
        Assert.Equal(65_535 * 3, list[65_535]);
        Assert.Equal(65_536 * 3, list[65_536]);
        Assert.Equal(69_999 * 3, list[69_999]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[70_000]);
        list[5] = -1; // the writer updates in place through the reference
        Assert.Equal(-1, list[5]);
    }
}

public class UnitsTests
{
    [Theory]
    [InlineData(0.000817, "817µs")]
    [InlineData(0.4216, "421.6ms")]
    [InlineData(3.914, "3.91s")]
    [InlineData(423.2, "423s")]
    [InlineData(9_999, "9999s")]
    [InlineData(10_000, "2.8h")]
    [InlineData(2 * 86_400, "2.0d")]
    [InlineData(153_605_960, "4.9y")]
    public void Durations_read_in_the_unit_that_fits(double seconds, string text) => Assert.Equal(text, Units.Seconds(seconds));
}

public class StatsPageTests
{
    [Fact]
    public void Xmpp_is_added_up_by_stanza_type_sasl_outcome_round_trip_and_note()
    {
        var hand = new HandFilledModel().StartFlow();
        CaptureModel model = hand.Model;
        model.FlowEnded(hand.End("SF", XmppSniff.Core.CloseKind.Fin, XmppSniff.Core.FlowSide.Client) with
        {
            Details = new Dictionary<string, object?> { ["xmpp"] = new Dictionary<string, object?> { ["sasl_mechanism"] = "PLAIN", ["sasl"] = "success", ["starttls"] = true } },
        });
        model.Add(Element("stanza", "iq", "get", null));
        model.Add(Element("stanza", "iq", "result", 12.5, answers: "get roster"));
        model.Add(Element("stanza", "iq", "result", 0.5, answers: "get disco#info"));
        model.Add(Element("stanza", "message", null, null));
        model.Add(Element("stanza", "presence", "error", null, "cancel/item-not-found"));
        model.Add(Element("note", "unanswered-iq", null, null));

        string[] xmpp = StatsPage.Build(model).Select(l => l.Text).SkipWhile(t => !t.StartsWith("XMPP", StringComparison.Ordinal)).TakeWhile(t => t != "").ToArray();

        Assert.Equal(
        [
            "XMPP: 1 connection (1 with STARTTLS), 6 elements",
            "  iq round trips                        2 answered: min 500µs, mean 6.5ms, max 12.5ms",
            "    get disco#info                      1 answered: min 500µs, mean 500µs, max 500µs",
            "    get roster                          1 answered: min 12.5ms, mean 12.5ms, max 12.5ms",
            "  stanza errors                         1",
            "  sasl PLAIN success                    1",
            "  stanza iq get                         1",
            "  stanza iq result                      2",
            "  stanza message normal                 1",
            "  stanza presence error                 1",
            "  note unanswered-iq                    1",
        ], xmpp);
    }

    [Fact]
    public void Each_look_counts_only_what_came_since_the_last_and_counted_rows_a_live_model_drops_stay_counted()
    {
        var hand = new HandFilledModel().StartFlow();
        CaptureModel model = hand.Model;
        string Messages() => StatsPage.Build(model).Single(l => l.Text.Contains("stanza message normal", StringComparison.Ordinal)).Text;
        for (int i = 0; i < 5_000; i++) model.Add(Element("stanza", "message", null, null));
        Assert.EndsWith(" 5,000", Messages());
        for (int i = 0; i < 5_000; i++) model.Add(Element("stanza", "message", null, null));
        Assert.EndsWith(" 10,000", Messages());
        model.BoundRows(new ModelBounds(Stanzas: 1_000)); // drops whole chunks of 4,096
        Assert.True(model.Stanzas.Held < 10_000);
        Assert.EndsWith(" 10,000", Messages());
        model.Add(Element("stanza", "message", null, null));
        Assert.EndsWith(" 10,001", Messages());
    }

    [Fact]
    public void A_capture_without_xmpp_has_no_xmpp_lines()
    {
        var hand = new HandFilledModel().StartFlow();
        hand.Model.FlowEnded(hand.End("SF", XmppSniff.Core.CloseKind.Fin, XmppSniff.Core.FlowSide.Client) with { App = "http" });
        Assert.DoesNotContain(StatsPage.Build(hand.Model), l => l.Text.StartsWith("XMPP", StringComparison.Ordinal));
    }

    [Fact]
    public void Http_is_added_up_by_method_and_status_with_the_time_to_first_byte_of_answered_requests()
    {
        var model = new HandFilledModel().StartFlow().Model;
        model.Add(Transaction("GET", 200, 10));
        model.Add(Transaction("GET", 404, 30));
        model.Add(Transaction("POST", null, 5)); // answered by something that is not HTTP: no status, its time not counted

        string[] http = StatsPage.Build(model).Select(l => l.Text).SkipWhile(t => !t.StartsWith("HTTP", StringComparison.Ordinal)).TakeWhile(t => t != "").ToArray();

        Assert.Equal(
        [
            "HTTP: 3 transactions, 1 without a response",
            "  time to first byte                    2 responses: min 10.0ms, mean 20.0ms, max 30.0ms",
            "  method GET                            2",
            "  method POST                           1",
            "  host example.test                     3",
            "  status 200                            1",
            "  status 404                            1",
        ], http);
    }

    private static XmppSniff.Core.HttpTransaction Transaction(string method, int? status, double ttfb) => new()
    {
        Flow = 1, Client = HandFilledModel.Client, Server = HandFilledModel.Server, Time = HandFilledModel.T0,
        Method = method, Host = "example.test", Status = status, TtfbMs = ttfb,
    };

    private static XmppSniff.Core.XmppElement Element(string kind, string name, string? type, double? rtt, string? error = null, string? answers = null) => new()
    {
        Ends = new XmppSniff.Core.FlowEnds(1, HandFilledModel.Client, HandFilledModel.Server),
        Direction = XmppSniff.Core.FlowSide.Client, Time = HandFilledModel.T0, FirstFrame = 1, LastFrame = 1,
        Kind = kind, Name = name, Type = type, RttMs = rtt, Answers = answers, Error = error, Summary = name,
    };

    [Fact]
    public void Connections_years_apart_are_counted_in_steps_labelled_in_days_not_microseconds()
    {
        var model = new CaptureModel("merged.pcapng");
        const long T0 = 1_500_000_000_000_000_000, Day = 86_400_000_000_000;
        model.AddFrame(T0, -1, 60, 60, 1);
        model.FlowStarted(1, XmppSniff.Core.IpProtocol.Tcp, HandFilledModel.Client, HandFilledModel.Server, T0);
        model.FlowStarted(2, XmppSniff.Core.IpProtocol.Tcp, HandFilledModel.Client, HandFilledModel.Server, T0 + 1_800 * Day);
        string[] steps = StatsPage.Build(model).Select(l => l.Text).SkipWhile(t => !t.StartsWith("new connections over time", StringComparison.Ordinal)).ToArray();
        Assert.Equal("new connections over time (4.9y in 12 steps)", steps[0]);
        Assert.StartsWith("        +0µs        1 ", steps[1]);
        Assert.StartsWith("     +150.0d        0", steps[2]);
        Assert.StartsWith("       +4.5y        1 ", steps[12]);
    }

    [Fact]
    public void Connections_that_all_start_at_one_instant_make_one_step()
    {
        var model = new CaptureModel("one.pcap");
        const long T0 = 1_500_000_000_000_000_000;
        model.AddFrame(T0, -1, 60, 60, 1);
        model.FlowStarted(1, XmppSniff.Core.IpProtocol.Tcp, HandFilledModel.Client, HandFilledModel.Server, T0 + 2_000);
        string[] steps = StatsPage.Build(model).Select(l => l.Text).SkipWhile(t => !t.StartsWith("new connections over time", StringComparison.Ordinal)).ToArray();
        Assert.Equal("new connections over time (all at one instant)", steps[0]);
        Assert.StartsWith("        +2µs        1 ", steps[1]);
        Assert.Equal(2, steps.Length); // the histogram ends the page: one step, no empty ones after it
    }
}
