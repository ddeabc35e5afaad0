using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;
using XmppSniff.Tests.Shared;

namespace XmppSniff.Tests.Live;

/// <summary>
/// `xmppsniff capture -i lo` with a BPF filter on the test's own ports while the test makes TCP and
/// UDP traffic: the flows it reports as they end and when stopped, the pcapng it writes (read back
/// by our reader and by `flows`), records of other kinds, the stop conditions, and its errors.
/// </summary>
public sealed partial class CaptureCommandTests : TempFiles
{
    private static List<JsonElement> Lines(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static JsonElement FlowFrom(List<JsonElement> flows, string proto, int clientPort) =>
        Assert.Single(flows, f => f.GetProperty("proto").GetString() == proto && f.GetProperty("client").GetString() == $"127.0.0.1:{clientPort}");

    private static void AssertFlow(JsonElement flow, string state, string kind, string close, string? closedBy)
    {
        Assert.Equal(state, flow.GetProperty("state").GetString());
        Assert.Equal(kind, flow.GetProperty("kind").GetString());
        Assert.Equal(close, flow.GetProperty("close").GetString());
        Assert.Equal(closedBy, flow.GetProperty("closed_by").GetString());
    }

    private static long Captured(string stderr) =>
        long.Parse(CapturedLine().Match(stderr).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"xmppsniff: (\d+) packets captured, \d+ received by filter, 0 dropped by kernel")]
    private static partial Regex CapturedLine();

    [LiveFact]
    public void FlowsOfEveryKindAreReportedAndTheWrittenPcapngGivesTheSameFlows()
    {
        string written = PathFor("live.pcapng");
        using var traffic = new LoopbackTraffic();
        using var capture = LiveCli.Start("-i", "lo", "-f", traffic.Filter, "-w", written, "--format", "jsonl");

        int shortPort = traffic.ShortTcp();
        int longPort = traffic.LongTcp();
        int refusedPort = traffic.Refused();
        int resetPort = traffic.ResetByClient();
        int udpPort = traffic.Udp();
        using Socket open = traffic.OpenTcp(out int openPort);
        Thread.Sleep(300); // let the kernel hand over the last ACKs before Ctrl+C (not a timing assertion)

        Cli.Result result = capture.Interrupt();
        Assert.Equal(0, result.ExitCode);
        List<JsonElement> flows = Lines(result.Stdout);
        Assert.Equal(6, flows.Count);

        AssertFlow(FlowFrom(flows, "tcp", shortPort), "SF", "short", "fin", "client");
        AssertFlow(FlowFrom(flows, "tcp", longPort), "SF", "long", "fin", "client");
        Assert.Equal(3, FlowFrom(flows, "tcp", longPort).GetProperty("exchanges").GetInt32());
        AssertFlow(FlowFrom(flows, "tcp", refusedPort), "REJ", "none", "rst", "server");
        AssertFlow(FlowFrom(flows, "tcp", resetPort), "RSTO", "short", "rst", "client");
        AssertFlow(FlowFrom(flows, "udp", udpPort), "SF", "short", "open", null);
        AssertFlow(FlowFrom(flows, "tcp", openPort), "S1", "short", "open", null);
        Assert.Equal($"127.0.0.1:{traffic.ClosedPort}", FlowFrom(flows, "tcp", refusedPort).GetProperty("server").GetString());
        Assert.All(flows.Where(f => f.GetProperty("client").GetString() != $"127.0.0.1:{refusedPort}"),
            f => Assert.Equal($"127.0.0.1:{traffic.Port}", f.GetProperty("server").GetString()));

        // The copy: every captured frame, readable by our reader, and the same flows from the file.
        long captured = Captured(result.Stderr);
        using (ICaptureReader reader = CaptureFile.Open(written))
        {
            Assert.Equal(CaptureFormat.PcapNg, reader.Format);
            long frames = 0;
            while (reader.TryRead(out RawFrame frame))
            {
                frames++;
                Assert.Equal(LinkType.Ethernet, frame.LinkType);
            }
            Assert.Equal(captured, frames);
            Assert.Empty(reader.Warnings);
        }
        Cli.Result fromFile = Cli.Run("flows", written, "--format", "jsonl");
        Assert.Equal(0, fromFile.ExitCode);
        Assert.Equal(
            flows.OrderBy(f => f.GetProperty("id").GetInt64()).Select(f => f.GetRawText()),
            Lines(fromFile.Stdout).Select(f => f.GetRawText()));
    }

    [LiveFact]
    public void StanzaAndHttpRecordsComeAsTheyCompleteTaggedWithTheirKind()
    {
        using var traffic = new LoopbackTraffic();
        using var capture = LiveCli.Start("-i", "lo", "-f", traffic.Filter, "--format", "jsonl", "--records", "flows,stanzas,http");
        int xmppPort = traffic.Xmpp();
        int httpPort = traffic.Http();
        Cli.Result result = capture.Interrupt();

        Assert.Equal(0, result.ExitCode);
        List<JsonElement> records = Lines(result.Stdout);
        Assert.All(records, r => Assert.Contains(r.GetProperty("record").GetString(), new[] { "flow", "stanza", "http" }));
        List<JsonElement> flows = records.Where(r => r.GetProperty("record").GetString() == "flow").ToList();
        Assert.Equal("xmpp", FlowFrom(flows, "tcp", xmppPort).GetProperty("app").GetString());
        Assert.Equal("http", FlowFrom(flows, "tcp", httpPort).GetProperty("app").GetString());

        JsonElement message = Assert.Single(records, r => r.GetProperty("record").GetString() == "stanza" && r.GetProperty("name").GetString() == "message");
        Assert.Equal("hello live", message.GetProperty("body").GetString());
        Assert.Equal("c2s", message.GetProperty("dir").GetString());
        Assert.Equal(2, records.Count(r => r.GetProperty("record").GetString() == "stanza" && r.GetProperty("kind").GetString() == "stream-open"));

        JsonElement http = Assert.Single(records, r => r.GetProperty("record").GetString() == "http");
        Assert.Equal("GET", http.GetProperty("method").GetString());
        Assert.Equal("/live", http.GetProperty("uri").GetString());
        Assert.Equal(200, http.GetProperty("status").GetInt32());

        // Each record is written when it completes: the stanzas and the transaction before their flow ends.
        int Index(Func<JsonElement, bool> match) => records.FindIndex(r => match(r));
        Assert.True(Index(r => r.GetProperty("record").GetString() == "stanza" && r.GetProperty("name").GetString() == "message")
            < Index(r => r.GetProperty("record").GetString() == "flow" && r.GetProperty("client").GetString() == $"127.0.0.1:{xmppPort}"));
        Assert.True(Index(r => r.GetProperty("record").GetString() == "http")
            < Index(r => r.GetProperty("record").GetString() == "flow" && r.GetProperty("client").GetString() == $"127.0.0.1:{httpPort}"));
    }

    [LiveFact]
    public void ADisplayFilterPrintsOnlyTheRecordsThatHaveItsFieldsAndMatch()
    {
        using var traffic = new LoopbackTraffic();
        using var capture = LiveCli.Start("-i", "lo", "-f", traffic.Filter, "--format", "jsonl", "--records", "flows,stanzas,http", "-Y", "name=message");
        traffic.Xmpp();
        traffic.Http();
        Cli.Result result = capture.Interrupt();

        // Flows and HTTP transactions have no `name`: none of them; of the stanzas, the message alone.
        Assert.Equal(0, result.ExitCode);
        JsonElement message = Assert.Single(Lines(result.Stdout));
        Assert.Equal(("stanza", "hello live"), (message.GetProperty("record").GetString(), message.GetProperty("body").GetString()));
    }

    [Fact]
    public void ADisplayFilterNoRecordKindCanTakeIsOneLineBeforeCapture()
    {
        Cli.Result result = Cli.Run("capture", "-i", "lo", "--format", "jsonl", "--records", "flows,http", "-Y", "name=message");
        Assert.Equal((1, ""), (result.ExitCode, result.Stdout));
        Assert.StartsWith("xmppsniff: --display-filter: unknown field 'name'; the fields are: id proto ", result.Stderr.Trim());
        Assert.DoesNotContain('\n', result.Stderr.Trim());
    }

    [LiveFact]
    public void ThePacketCountStopsTheCaptureAndTheFileHoldsExactlyThosePackets()
    {
        string written = PathFor("counted.pcapng");
        using var traffic = new LoopbackTraffic();
        using var capture = LiveCli.Start("-i", "lo", "-f", $"udp port {traffic.ClosedPort}", "-c", "3", "-w", written, "--format", "jsonl");
        traffic.Datagrams(5);
        Cli.Result result = capture.Wait(); // no signal: -c ends it

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, Captured(result.Stderr));
        JsonElement flow = Assert.Single(Lines(result.Stdout));
        Assert.Equal(3, flow.GetProperty("packets_c2s").GetInt32());
        Assert.Equal("open", flow.GetProperty("close").GetString());
        Assert.Equal("S0", flow.GetProperty("state").GetString());

        using ICaptureReader reader = CaptureFile.Open(written);
        int frames = 0;
        while (reader.TryRead(out _)) frames++;
        Assert.Equal(3, frames);
    }

    [LiveFact]
    public void TheDurationStopsTheCaptureWithTheFlowsStillOpen()
    {
        using var traffic = new LoopbackTraffic();
        // The capture's clock starts after ours; only when the connection was open before our clock
        // reached the duration is it sure to fall inside the capture. A machine too busy for that
        // (CI once took longer than 2 s) gets a longer duration instead of a false failure.
        for (int seconds = 2; ; seconds *= 2)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var capture = LiveCli.Start("-i", "lo", "-f", traffic.Filter, "--duration", $"{seconds}", "--format", "jsonl");
            using Socket open = traffic.OpenTcp(out int openPort);
            bool inTime = clock.Elapsed < TimeSpan.FromSeconds(seconds);
            Cli.Result result = capture.Wait();

            Assert.Equal(0, result.ExitCode);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(seconds), "the capture stopped before its duration");
            if (!inTime && seconds < 32) continue;
            AssertFlow(FlowFrom(Lines(result.Stdout), "tcp", openPort), "S1", "short", "open", null);
            return;
        }
    }

    [LiveFact]
    public void TableAndCsvWork()
    {
        using var traffic = new LoopbackTraffic();
        using (var capture = LiveCli.Start("-i", "lo", "-f", traffic.Filter, "--format", "csv"))
        {
            int port = traffic.ShortTcp();
            string[] lines = capture.Interrupt().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("id,proto,client,server,", lines[0]);
            Assert.Contains(lines[1..], l => l.Contains($"127.0.0.1:{port}") && l.Contains(",SF,"));
        }
        using (var capture = LiveCli.Start("-i", "lo", "-f", traffic.Filter, "--format", "table"))
        {
            int port = traffic.ShortTcp();
            string[] lines = capture.Interrupt().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^\s+id proto client", lines[0]);
            Assert.Contains(lines[1..], l => l.Contains($"127.0.0.1:{port}") && l.Contains(" SF "));
        }
    }
}
