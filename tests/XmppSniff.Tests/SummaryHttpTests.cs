using System.Globalization;
using System.Text.Json;

namespace XmppSniff.Tests;

/// <summary>
/// `summary`'s http section: its methods, hosts and status codes against what `tshark -q -z http,tree` and
/// `-z http_req,tree` counted on the same captures (tshark 4.0.17, checked once by hand: the counts are written
/// below, with the options tshark needed to see every transaction), and the rest against the same numbers
/// worked out here from what `http` prints.
/// </summary>
public class SummaryHttpTests
{
    public static TheoryData<string, string> Captures => new()
    {
        { "captures/http-python-curl.pcap", "method GET=6; method POST=1; host 127.0.0.1:17051=7; status 200=5; status 404=1; status 501=1" },
        { "captures/http-auth-cookie.pcap", "method GET=4; host 127.0.0.1:17061=4; status 200=3; status 404=1" },
        { "captures/real/http_keepalive_pipelined_mozilla.zeek.pcap", "method GET=5; host www.mozilla.org=5; status 200=5" },
        { "captures/real/http_5conns_rst_retrans.zeek.pcap", "method GET=5; host au.download.windowsupdate.com=5; status 206=5" },
        { "captures/real/http_header-split-across-segments.ndpi.pcapng", "method GET=37; host va.origin.startappservice.com=37; status 200=37" },
        { "captures/real/sll1_http_log4j-exploit.ndpi.pcap", "method GET=2; method POST=1; host 172.16.238.11=2; host 192.168.13.31:8080=1; status 200=3" },
        // tshark: -o tcp.reassemble_out_of_order:TRUE (without it, one 206 is not put together and tshark counts 2).
        { "captures/real/tcp_retrans_out-of-order_http_range-download.zeek.pcap", "method GET=3; host au.download.windowsupdate.com=3; status 206=3" },
        // tshark: -d tcp.port==22,http. The server answers with an SSH banner: a request with no HTTP response.
        { "captures/real/nanosec_http-get-to-ssh-server.zeek.pcap", "method GET=1; host 128.3.50.246=1" },
        { "captures/xmpp-prosody-slixmpp.pcap", "" },
    };

    [Theory]
    [MemberData(nameof(Captures))]
    public void Methods_and_statuses_are_tsharks_and_the_rest_adds_up_what_http_prints(string capture, string tshark)
    {
        string path = Path.Combine(Repo.Root, capture);
        Cli.Result summary = Cli.Run("summary", path, "--json");
        Assert.Equal(0, summary.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(summary.Stdout);
        Dictionary<string, string> actual = doc.RootElement.GetProperty("http").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());

        Dictionary<string, string> counted = actual.Where(p => p.Key.Split(' ')[0] is "method" or "host" or "status")
            .ToDictionary(p => p.Key, p => p.Value);
        Dictionary<string, string> expected = tshark.Split("; ", StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.Equal(expected, counted);

        var transactions = Cli.Run("http", path, "--format", "jsonl").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        bool Answered(JsonElement t) => t.GetProperty("status").ValueKind == JsonValueKind.Number;
        List<double> ttfb = transactions.Where(t => Answered(t) && t.GetProperty("ttfb_ms").ValueKind == JsonValueKind.Number)
            .Select(t => t.GetProperty("ttfb_ms").GetDouble()).ToList();
        Assert.Equal(transactions.Count.ToString(CultureInfo.InvariantCulture), actual["transactions"]);
        Assert.Equal(transactions.Count(t => !Answered(t) && t.GetProperty("method").ValueKind == JsonValueKind.String)
            .ToString(CultureInfo.InvariantCulture), actual["no_response"]);
        Assert.Equal(ttfb.Count == 0 ? "" : ttfb.Min().ToString(CultureInfo.InvariantCulture), actual["ttfb_min_ms"]);
        Assert.Equal(ttfb.Count == 0 ? "" : ttfb.Max().ToString(CultureInfo.InvariantCulture), actual["ttfb_max_ms"]);
        if (ttfb.Count > 0) Assert.Equal(ttfb.Average(), double.Parse(actual["ttfb_mean_ms"], CultureInfo.InvariantCulture), 0.0015);
    }
}
