using System.Text.Json;

namespace XmppSniff.Tests;

public class CommandTests
{
    private static string Capture(string name) => Path.Combine(Repo.Captures, name);

    [Fact]
    public void FlowsCsvAndJsonlCarryTheSameRecords()
    {
        string[] jsonl = Cli.Run("flows", Capture("tcp-long-connection.pcap"), "--format", "jsonl").Stdout.Trim().Split('\n');
        string[] csv = Cli.Run("flows", Capture("tcp-long-connection.pcap"), "--format", "csv").Stdout.Trim().Split('\n');
        Assert.Equal(jsonl.Length + 1, csv.Length);
        string[] header = csv[0].Split(',');
        using var first = JsonDocument.Parse(jsonl[0]);
        // JSONL has the CSV columns first, then nested fields only it can carry (what the analyzer learned).
        Assert.Equal(header, first.RootElement.EnumerateObject().Select(p => p.Name).Take(header.Length));
        Assert.Equal("echo", first.RootElement.GetProperty("app").GetString());
        Assert.Equal(800, first.RootElement.GetProperty("echo").GetProperty("echoed_bytes").GetInt32());
        Assert.Equal(first.RootElement.GetProperty("state").GetString(), csv[1].Split(',')[Array.IndexOf(header, "state")]);
    }

    [Fact]
    public void TableHasAHeaderAndOneRowPerFlow()
    {
        string[] lines = Cli.Run("flows", Capture("tcp-refused.pcap"), "--format", "table").Stdout.Trim().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Contains("state", lines[0]);
        Assert.All(lines[1..], l => Assert.Contains(" REJ ", l));
    }

    [Fact]
    public void FollowPrintsBothDirectionsInOrder()
    {
        Cli.Result result = Cli.Run("follow", Capture("http-python-curl.pcap"), "1");
        Assert.Equal(0, result.ExitCode);
        string text = result.Stdout;
        int request = text.IndexOf(">>> client", StringComparison.Ordinal);
        int get = text.IndexOf("GET /", StringComparison.Ordinal);
        int response = text.IndexOf("<<< server", StringComparison.Ordinal);
        int status = text.IndexOf("HTTP/1.", response, StringComparison.Ordinal);
        Assert.True(request >= 0 && request < get && get < response && response < status, text);
        Assert.Contains("SF", text);
    }

    [Fact]
    public void FollowRawPrintsHexWithServerLinesIndented()
    {
        string text = Cli.Run("follow", Capture("tcp-short-connections.pcap"), "2", "--raw").Stdout;
        string[] hexLines = text.Split('\n').Where(l => l.TrimStart('\t').Length > 0 && l.TrimStart('\t').All(Uri.IsHexDigit)).ToArray();
        Assert.Contains(hexLines, l => !l.StartsWith('\t'));
        Assert.Contains(hexLines, l => l.StartsWith('\t'));
    }

    [Fact]
    public void FollowOfAnUnknownFlowSaysSo()
    {
        Cli.Result result = Cli.Run("follow", Capture("tcp-refused.pcap"), "99");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no flow with id 99", result.Stderr);
    }

    [Fact]
    public void SummaryCountsPacketsFlowsAndStates()
    {
        Cli.Result result = Cli.Run("summary", Capture("tcp-reset.pcap"), "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        JsonElement root = doc.RootElement;
        Assert.Equal(24, root.GetProperty("packets").GetProperty("packets").GetInt32());
        Assert.Equal(2, root.GetProperty("flows").GetProperty("flows").GetInt32());
        Assert.Equal(1, root.GetProperty("flows").GetProperty("state tcp RSTO").GetInt32());
        Assert.Equal(1, root.GetProperty("flows").GetProperty("state tcp RSTR").GetInt32());
        Assert.Equal(24, root.GetProperty("link_types").GetProperty("Ethernet").GetInt32());
    }

    [Fact]
    public void SummaryRatesAreCapinfosRates()
    {
        // capinfos 4.0.17 on this file: "Data byte rate: 7999 bytes/s", "Average packet size: 109.70 bytes",
        // "Average packet rate: 72 packets/s" (it truncates the rates).
        using var doc = JsonDocument.Parse(Cli.Run("summary", Capture("http-python-curl.pcap"), "--json").Stdout);
        JsonElement packets = doc.RootElement.GetProperty("packets");
        Assert.Equal(109.7, packets.GetProperty("average_packet_bytes").GetDouble());
        Assert.Equal(7999, Math.Floor(packets.GetProperty("bytes_per_s").GetDouble()));
        Assert.Equal(72, Math.Floor(packets.GetProperty("packets_per_s").GetDouble()));

        using var empty = JsonDocument.Parse(Cli.Run("summary", Path.Combine(Repo.Captures, "real", "edge_empty_header-only_0-packets.zeek.pcap"), "--json").Stdout);
        Assert.Equal(JsonValueKind.Null, empty.RootElement.GetProperty("packets").GetProperty("bytes_per_s").ValueKind);
    }

    [Theory]
    [InlineData(1, "open")]
    [InlineData(13, "open")]
    [InlineData(60, "open")]
    [InlineData(169, "fin")] // both sessions closed, only the last ACK unread
    public void CountReadsOnlyTheFirstPacketsAndEndsWhatIsOpenThere(int count, string close)
    {
        string capture = Capture("xmpp-prosody-slixmpp.pcap"); // 170 frames
        string[] Elements(params string[] more) => Cli.Run(["stanzas", capture, "--format", "jsonl", .. more]).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.Contains("\"kind\":\"note\"", StringComparison.Ordinal)).ToArray();
        static long LastFrame(string line) => long.Parse(JsonDocument.Parse(line).RootElement.GetProperty("frames").GetString()!.Split('-')[^1], System.Globalization.CultureInfo.InvariantCulture);

        // The elements complete by frame N, the same as a whole run prints them; nothing after.
        Assert.Equal(Elements().Where(line => LastFrame(line) <= count), Elements("-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var summary = JsonDocument.Parse(Cli.Run("summary", capture, "--json", "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)).Stdout);
        Assert.Equal(count, summary.RootElement.GetProperty("packets").GetProperty("packets").GetInt32());
        string[] flows = Cli.Run("flows", capture, "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "jsonl").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(flows, f => Assert.Contains($"\"close\":\"{close}\"", f));
    }

    [Fact]
    public void CountMustNotBeNegative()
    {
        Cli.Result result = Cli.Run("flows", Capture("tcp-reset.pcap"), "-c", "-1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--count must not be negative", result.Stderr);
    }

    [Fact]
    public void HelpAndVersionWork()
    {
        Assert.Contains("flows", Cli.Run("--help").Stdout);
        Assert.Contains("--format", Cli.Run("flows", "--help").Stdout);
        Assert.Matches(@"^\d+\.\d+\.\d+", Cli.Run("--version").Stdout);
    }
}
