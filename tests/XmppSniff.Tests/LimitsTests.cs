using System.Text;
using System.Text.Json;

namespace XmppSniff.Tests;

/// <summary>
/// Each bound has a default, an option, a counter in `summary`, and is hit here through the command line:
/// out-of-order bytes per connection and in total, closed connections lingering, element size, nesting depth
/// (flows in memory: SynFloodTests).
/// </summary>
public class LimitsTests : TempFiles
{
    private static readonly uint Client = CaptureBuilder.Ip(10, 0, 0, 1), Server = CaptureBuilder.Ip(10, 0, 0, 2);

    private static long Counter(string path, string key, params string[] options)
    {
        Cli.Result result = Cli.Run(["summary", path, "--json", .. options]);
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.GetProperty("limits").GetProperty(key).GetInt64();
    }

    /// <summary>Connections that each hold <paramref name="held"/> bytes behind a one-byte hole, then fill it.</summary>
    private string Holes(int connections, int held) => WriteCapture($"holes-{connections}-{held}.pcap", c =>
    {
        var flows = Enumerable.Range(0, connections).Select(i => new TcpConversation(c, Client, (ushort)(40000 + i), Server, 8080).Open()).ToList();
        foreach (TcpConversation flow in flows)
            for (int at = 0; at < held; at += 1000) flow.Client(new byte[Math.Min(1000, held - at)], skip: 1 + at);
        foreach (TcpConversation flow in flows) flow.Client(new byte[1]);
    });

    [Fact]
    public void OutOfOrderBytesPerConnection()
    {
        string path = Holes(1, 10_000);
        Assert.Equal(0, Counter(path, "ooo_flow_limit_hits"));
        Assert.Equal(10_000, Counter(path, "peak_buffered_bytes"));
        Assert.True(Counter(path, "ooo_flow_limit_hits", "--max-ooo-bytes", "4096") >= 1);
        Assert.True(Counter(path, "peak_buffered_bytes", "--max-ooo-bytes", "4096") <= 4096);
        Assert.Equal(0, Counter(path, "ooo_total_limit_hits", "--max-ooo-bytes", "4096"));
    }

    [Fact]
    public void OutOfOrderBytesInTotal()
    {
        string path = Holes(4, 3000);
        Assert.Equal(12_000, Counter(path, "peak_buffered_bytes"));
        Assert.True(Counter(path, "ooo_total_limit_hits", "--max-buffered-bytes", "5000") >= 1);
        Assert.True(Counter(path, "peak_buffered_bytes", "--max-buffered-bytes", "5000") <= 5000);
        Assert.Equal(0, Counter(path, "ooo_flow_limit_hits", "--max-buffered-bytes", "5000"));
    }

    private const string Header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    private string Xmpp(string name, string stanzas) => WriteCapture(name, c =>
    {
        var flow = new TcpConversation(c, Client, 40000, Server, 5222).Open().Client(Header);
        byte[] bytes = Encoding.UTF8.GetBytes(stanzas);
        for (int at = 0; at < bytes.Length; at += 1400) flow.Client(bytes.AsSpan(at, Math.Min(1400, bytes.Length - at)));
        flow.Close();
    });

    [Fact]
    public void ElementSize()
    {
        string path = Xmpp("big.pcap", "<message id='big'><body>" + new string('b', 6000) + "</body></message><presence id='p'/>");
        Assert.Equal(0, Counter(path, "elements_truncated"));
        Assert.Equal(1, Counter(path, "elements_truncated", "--max-element", "2048"));
        Cli.Result stanzas = Cli.Run("stanzas", path, "--format", "jsonl", "--max-element", "2048");
        Assert.Contains("\"truncated\":true", stanzas.Stdout);
        Assert.Contains("\"id\":\"p\"", stanzas.Stdout);
    }

    [Fact]
    public void NestingDepth()
    {
        string deep = string.Concat(Enumerable.Repeat("<x>", 300)) + string.Concat(Enumerable.Repeat("</x>", 300));
        string path = Xmpp("deep.pcap", "<message id='deep'>" + deep + "</message><presence id='p'/>");
        Assert.Equal(1, Counter(path, "elements_too_deep"));
        Assert.Equal(0, Counter(path, "elements_too_deep", "--max-depth", "400"));
        Assert.Equal(1, Counter(path, "elements_too_deep", "--max-depth", "100"));
        Cli.Result stanzas = Cli.Run("stanzas", path, "--format", "jsonl", "--max-depth", "400");
        Assert.Contains("\"id\":\"deep\"", stanzas.Stdout);
        Assert.Contains("\"id\":\"p\"", stanzas.Stdout);
    }

    [Fact]
    public void ClosedConnectionsWaitingForTheirLastPackets()
    {
        // Ten connections, one after the other: each closes (FIN, FIN, last ACK) before the next opens.
        string path = WriteCapture("closed.pcap", c =>
        {
            for (int i = 0; i < 10; i++)
            {
                var flow = new TcpConversation(c, Client, (ushort)(40000 + i), Server, 8080).Open();
                flow.Client("ping " + i).Server("pong " + i);
                flow.Close();
            }
        });
        Assert.Equal(0, Counter(path, "closed_ended_early"));
        Assert.Equal(7, Counter(path, "closed_ended_early", "--max-closed-flows", "3"));
        // Ended early, but only after their last packet: the records are the same, in the same order.
        Cli.Result all = Cli.Run("flows", path, "--format", "jsonl");
        Cli.Result capped = Cli.Run("flows", path, "--format", "jsonl", "--max-closed-flows", "3");
        Assert.Equal(10, all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(all.Stdout, capped.Stdout);
    }

    [Fact]
    public void DefaultsAreDocumentedInTheHelp()
    {
        Cli.Result help = Cli.Run("summary", "--help");
        foreach (string option in (string[])["--max-flows", "--max-closed-flows", "--max-ooo-bytes", "--max-buffered-bytes", "--max-element", "--max-depth"])
            Assert.Contains(option, help.Stdout);
        Assert.Contains("[default: 256]", help.Stdout);
        Assert.Contains("[default: 20000]", help.Stdout);
        Assert.Contains("[default: 1048576]", help.Stdout);
    }
}
