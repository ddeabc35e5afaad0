using System.Text;
using System.Text.Json;

namespace XmppSniff.Tests;

/// <summary>Hostile XML on the wire, through `stanzas`: found as XMPP, reported, nothing expanded, the stanzas after it decoded.</summary>
public class HostileXmlCliTests : TempFiles
{
    private const string Header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";
    private const string After = "<iq id='after' type='get'><ping xmlns='urn:xmpp:ping'/></iq>";

    private List<JsonElement> Stanzas(string stream, ushort port)
    {
        string path = WriteCapture("x.pcap", capture =>
        {
            var flow = new TcpConversation(capture, CaptureBuilder.Ip(10, 0, 0, 1), 40000, CaptureBuilder.Ip(10, 0, 0, 2), port).Open();
            byte[] bytes = Encoding.UTF8.GetBytes(stream);
            for (int at = 0; at < bytes.Length; at += 500) flow.Client(bytes.AsSpan(at, Math.Min(500, bytes.Length - at)));
            flow.Close();
        });
        Cli.Result result = Cli.Run("stanzas", path, "--format", "jsonl");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    private static string Field(JsonElement e, string name) => e.GetProperty(name).ToString();

    [Theory]
    [InlineData(5222)]
    [InlineData(40001)] // recognised by content, not by port
    public void BillionLaughsBeforeTheStreamHeaderIsReportedAndNotExpanded(ushort port)
    {
        var dtd = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : i - 1)};", 10))}\">");
        dtd.Append("]>");
        List<JsonElement> stanzas = Stanzas(dtd + Header + "<message id='lol'><body>&lol9;</body></message>" + After, port);
        Assert.Equal(["dtd", "stream", "message", "iq", "unanswered-iq"], stanzas.Select(e => Field(e, "name")));
        Assert.Equal("&lol9;", Field(stanzas[2], "body"));
        Assert.Equal("undefined entity (not expanded)", Field(stanzas[2], "error"));
        Assert.Contains("ping", Field(stanzas[3], "summary"));
    }

    [Fact]
    public void MismatchedTagsAndBadUtf8DoNotStopTheStream()
    {
        List<JsonElement> stanzas = Stanzas(Header + "<message id='a'><body></message><presence id='b'/>\u00ff</x>" + After, 5222);
        Assert.Contains(stanzas, e => Field(e, "kind") == "note" && Field(e, "name") == "malformed");
        Assert.Contains(stanzas, e => Field(e, "id") == "after" && Field(e, "kind") == "stanza");
    }
}
