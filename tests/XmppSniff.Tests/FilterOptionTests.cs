using System.Text.Json;

namespace XmppSniff.Tests;

/// <summary>`--display-filter` (`-Y`): the UI's filter words on the command line; what it prints is the unfiltered output's matching lines.</summary>
public class FilterOptionTests
{
    private static string Capture(string name) => Path.Combine(Repo.Captures, name);

    private static string[] Lines(Cli.Result result)
    {
        Assert.Equal((0, ""), (result.ExitCode, result.Stderr));
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The lines of the unfiltered output that <paramref name="keep"/> accepts, and the filtered output.</summary>
    private static (string[] Expected, string[] Filtered) Compare(string command, string capture, string filter, Func<JsonElement, bool> keep)
    {
        string[] all = Lines(Cli.Run(command, Capture(capture), "--format", "jsonl"));
        string[] expected = [.. all.Where(line => keep(JsonDocument.Parse(line).RootElement))];
        string[] filtered = Lines(Cli.Run(command, Capture(capture), "--format", "jsonl", "-Y", filter));
        Assert.NotEmpty(expected);
        Assert.NotEqual(all.Length, expected.Length); // the filter has something to leave out
        return (expected, filtered);
    }

    private static string? Text(JsonElement record, string field) => record.GetProperty(field).ValueKind == JsonValueKind.Null ? null : record.GetProperty(field).ToString();

    [Fact]
    public void Stanzas_keep_the_elements_whose_fields_match_every_word()
    {
        (string[] expected, string[] filtered) = Compare("stanzas", "xmpp-prosody-slixmpp.pcap", "name=message DIR=c2s",
            r => Text(r, "name") == "message" && Text(r, "dir") == "c2s");
        Assert.Equal(expected, filtered);
    }

    [Fact]
    public void A_bare_jid_matches_its_full_jids_and_a_star_is_a_prefix()
    {
        (string[] expected, string[] filtered) = Compare("stanzas", "xmpp-prosody-slixmpp.pcap", "from=romeo@localhost type=chat*",
            r => (Text(r, "from") ?? "").Split('/')[0] == "romeo@localhost" && (Text(r, "type") ?? "").StartsWith("chat", StringComparison.Ordinal));
        Assert.Equal(expected, filtered);
    }

    [Fact]
    public void Flows_filter_on_a_field_a_protocol_a_port_and_a_negated_word()
    {
        (string[] rst, string[] filtered) = Compare("flows", "echo-modes.pcap", "close=rst", r => Text(r, "close") == "rst");
        Assert.Equal(rst, filtered);

        (string[] tcpLong, filtered) = Compare("flows", "echo-modes.pcap", "tcp port 17101 !kind=short",
            r => Text(r, "proto") == "tcp" && Text(r, "kind") != "short" && r.GetProperty("server").GetString()!.EndsWith(":17101", StringComparison.Ordinal));
        Assert.Equal(tcpLong, filtered);
    }

    [Fact]
    public void Http_keeps_the_transactions_matching()
    {
        (string[] expected, string[] filtered) = Compare("http", "http-python-curl.pcap", "status=404", r => Text(r, "status") == "404");
        Assert.Equal(expected, filtered);
    }

    [Fact]
    public void A_filter_that_does_not_parse_is_one_line_naming_the_fields_and_exit_1()
    {
        Cli.Result result = Cli.Run("flows", Capture("echo-modes.pcap"), "--display-filter", "tcp.port==5222");
        Assert.Equal((1, ""), (result.ExitCode, result.Stdout));
        Assert.Matches(@"^xmppsniff: --display-filter: unknown field 'tcp\.port'; the fields are: id proto client server .* port host$", result.Stderr.Trim());

        result = Cli.Run("stanzas", Capture("xmpp-prosody-slixmpp.pcap"), "-Y", "port x");
        Assert.Equal((1, "xmppsniff: --display-filter: 'x' is not a port number"), (result.ExitCode, result.Stderr.Trim()));
    }
}
