using System.Text.Json;

namespace XmppSniff.Tests;

/// <summary>
/// `summary`'s xmpp section against the same numbers worked out here from what `stanzas` and `flows`
/// print for the capture: every count, and the iq round trips' minimum, mean and maximum, in all and by request.
/// </summary>
public class SummaryXmppTests
{
    public static TheoryData<string, string[]> Captures => new()
    {
        { "captures/xmpp-prosody-slixmpp.pcap", [] },
        { "captures/xmpp-bosh.pcap", [] },
        { "captures/xmpp-websocket.pcap", [] },
        { "captures/xmpp-starttls.pcap", [] },
        { "captures/xmpp-tls13.pcap", ["--keylog", "captures/xmpp-tls13.keylog"] },
        { "captures/xmpp-tls12-dsb.pcapng", [] },
        { "captures/real/xmpp_c2s_plaintext_sasl_iq_presence_multi-session.ndpi.pcapng", [] },
        { "captures/real/xmpp_s2s_5269_dialback_starttls.zeek.pcap", [] },
        { "captures/http-python-curl.pcap", [] },
    };

    [Theory]
    [MemberData(nameof(Captures))]
    public void The_xmpp_section_adds_up_what_stanzas_and_flows_print(string capture, string[] options)
    {
        string path = Path.Combine(Repo.Root, capture);
        string[] keylog = options.Length == 0 ? [] : [options[0], Path.Combine(Repo.Root, options[1])];
        Cli.Result summary = Cli.Run(["summary", path, "--json", .. keylog]);
        Assert.Equal(0, summary.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(summary.Stdout);
        Dictionary<string, string> actual = doc.RootElement.GetProperty("xmpp").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ToString());

        Dictionary<string, string> expected = Expected(path, keylog, out Dictionary<string, double?> means);
        // The records print round trips to 3 decimals and summary averages the unrounded ones: a mean may differ in its last digit.
        Assert.Equal(means.Keys.Order(), actual.Keys.Where(k => k.EndsWith("mean_ms", StringComparison.Ordinal)).Order());
        foreach ((string key, double? mean) in means)
        {
            Assert.Equal(mean is null, actual[key] == "");
            if (mean is { } m) Assert.Equal(m, double.Parse(actual[key], System.Globalization.CultureInfo.InvariantCulture), 0.0015);
            actual.Remove(key);
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_capture_without_xmpp_says_so_with_zeros_and_no_round_trips()
    {
        Cli.Result summary = Cli.Run("summary", Path.Combine(Repo.Captures, "tcp-reset.pcap"));
        Assert.Equal(0, summary.ExitCode);
        string xmpp = summary.Stdout[summary.Stdout.IndexOf("xmpp:", StringComparison.Ordinal)..summary.Stdout.IndexOf("limits:", StringComparison.Ordinal)];
        Assert.Matches(@"\n  elements +0\n", xmpp);
        Assert.Matches(@"\n  iq_rtt_mean_ms +-\n", xmpp);
        Assert.DoesNotContain("kind ", xmpp);
    }

    private static Dictionary<string, string> Expected(string path, string[] keylog, out Dictionary<string, double?> means)
    {
        var counts = new Dictionary<string, long>();
        void Count(string key, long by = 1) => counts[key] = counts.GetValueOrDefault(key) + by;
        var rtts = new List<double>();
        var byRequest = new List<(string Request, double Ms)>();
        foreach (JsonElement flow in Lines(Cli.Run(["flows", path, "--format", "jsonl", .. keylog]).Stdout))
        {
            if (flow.GetProperty("app").GetString() != "xmpp") continue;
            Count("connections");
            JsonElement xmpp = flow.GetProperty("xmpp");
            Count("connections_starttls", xmpp.TryGetProperty("starttls", out JsonElement tls) && tls.GetBoolean() ? 1 : 0);
            string? mechanism = Text(xmpp, "sasl_mechanism"), outcome = Text(xmpp, "sasl");
            if (mechanism is not null || outcome is not null) Count($"sasl {mechanism ?? "?"} {outcome ?? "unfinished"}");
        }
        Count("connections", 0);
        Count("connections_starttls", 0);
        foreach (JsonElement e in Lines(Cli.Run(["stanzas", path, "--format", "jsonl", .. keylog]).Stdout))
        {
            string kind = e.GetProperty("kind").GetString()!, name = e.GetProperty("name").GetString()!;
            Count("elements");
            Count($"kind {kind}");
            if (kind == "stanza")
            {
                Count($"stanza {name} {Text(e, "type") ?? (name == "message" ? "normal" : name == "presence" ? "available" : "(none)")}");
                Count("stanza_errors", Text(e, "error") is null ? 0 : 1);
                if (e.GetProperty("rtt_ms").ValueKind == JsonValueKind.Number)
                {
                    rtts.Add(e.GetProperty("rtt_ms").GetDouble());
                    byRequest.Add((Text(e, "answers") ?? "?", e.GetProperty("rtt_ms").GetDouble()));
                }
            }
            Count("stream_errors", kind == "nonza" && name == "error" && Text(e, "ns") == "http://etherx.jabber.org/streams" ? 1 : 0);
            if (kind == "note") Count($"note {name}");
        }
        foreach (string key in (string[])["elements", "stanza_errors", "stream_errors"]) Count(key, 0);
        var expected = counts.ToDictionary(c => c.Key, c => c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        expected["iq_answered"] = rtts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        expected["iq_rtt_min_ms"] = rtts.Count == 0 ? "" : Ms(rtts.Min());
        expected["iq_rtt_max_ms"] = rtts.Count == 0 ? "" : Ms(rtts.Max());
        means = new() { ["iq_rtt_mean_ms"] = rtts.Count == 0 ? null : rtts.Average() };
        foreach (var request in byRequest.GroupBy(r => r.Request))
        {
            expected[$"rtt {request.Key} answered"] = request.Count().ToString(System.Globalization.CultureInfo.InvariantCulture);
            expected[$"rtt {request.Key} max_ms"] = Ms(request.Max(r => r.Ms));
            means[$"rtt {request.Key} mean_ms"] = request.Average(r => r.Ms);
        }
        return expected;
    }

    private static string Ms(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<JsonElement> Lines(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement);
}
