using System.Text;

namespace XmppSniff.Tests.Tls;

/// <summary>
/// The decrypted bytes of every connection of the key-logged captures, compared with tshark's:
/// `xmppsniff follow CAPTURE ID --raw --keylog KEYLOG --show-secrets` against the checked-in output of
/// `tshark -qz follow,tls,raw,N` (tshark/*.follow-tls.txt, made by tshark-follow-tls.sh). Both
/// directions must hold the same bytes in the same order; tshark names its nodes inconsistently
/// for STARTTLS streams, so the two directions are matched as a pair.
/// </summary>
/// <remarks>
/// Also compared by hand once (2026-11-25, TShark 4.0.17): the frames in which `tshark -r
/// captures/xmpp-tls12.pcap -d tcp.port==15224,xmpp -o tls.keylog_file:captures/xmpp-tls12.keylog
/// -Y xmpp -T fields -e frame.number` finds XMPP are exactly the frames that end our elements in
/// `xmppsniff stanzas captures/xmpp-tls12.pcap --keylog captures/xmpp-tls12.keylog` (77 frames,
/// all 4 sessions, before and after STARTTLS); the same for the STARTTLS session of
/// xmpp-tls13.pcap (frames 4-36). tshark 4.0 cannot be told to read XMPP inside direct TLS on a
/// port of our choosing, so the direct TLS flow is checked by its decrypted bytes only.
/// </remarks>
public class TlsDecryptionBaselineTests
{
    public static TheoryData<string, int> Flows() => new()
    {
        { "xmpp-tls13", 1 }, { "xmpp-tls13", 2 },
        { "xmpp-tls12", 1 }, { "xmpp-tls12", 2 }, { "xmpp-tls12", 3 }, { "xmpp-tls12", 4 },
        { "https-curl", 1 }, { "https-curl", 2 }, { "https-curl", 3 }, { "https-curl", 4 }, { "https-curl", 5 },
    };

    [Theory]
    [MemberData(nameof(Flows))]
    public void DecryptedBytesEqualTsharks(string capture, int flow)
    {
        // --show-secrets: tshark shows the SASL exchange inside TLS as it is; follow masks it by default.
        Cli.Result ours = Cli.Run("follow", Path.Combine(Repo.Captures, capture + ".pcap"), flow.ToString(), "--raw",
            "--keylog", Path.Combine(Repo.Captures, capture + ".keylog"), "--show-secrets");
        Assert.Equal(0, ours.ExitCode);
        (string client, string server) = OurDirections(ours.Stdout);
        (string a, string b) = TsharkDirections(capture, flow - 1);

        Assert.NotEqual("", client);
        Assert.NotEqual("", server);
        string[] expected = [a, b], actual = [client, server];
        Assert.Equal(expected.Order(), actual.Order());
    }

    /// <summary>Hex of each direction from our follow --raw: "&gt;&gt;&gt; client"/"&lt;&lt;&lt; server" lines, then hex lines.</summary>
    private static (string Client, string Server) OurDirections(string output)
    {
        var client = new StringBuilder();
        var server = new StringBuilder();
        StringBuilder? current = null;
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith(">>> client")) current = client;
            else if (line.StartsWith("<<< server")) current = server;
            else if (line.StartsWith("====")) current = null;
            else if (current is not null && IsHex(line.Trim())) current.Append(line.Trim());
        }
        return (client.ToString(), server.ToString());
    }

    /// <summary>Hex of each node of stream <paramref name="stream"/> in tshark's follow raw output (node 1 indented).</summary>
    private static (string Node0, string Node1) TsharkDirections(string capture, int stream)
    {
        string text = File.ReadAllText(Path.Combine(Repo.Root, "tests/XmppSniff.Tests/Tls/tshark", capture + ".follow-tls.txt"));
        var node0 = new StringBuilder();
        var node1 = new StringBuilder();
        bool inStream = false;
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("Filter: tcp.stream eq ")) inStream = line == $"Filter: tcp.stream eq {stream}";
            else if (inStream && IsHex(line.Trim()) && line.Trim().Length > 0) (line.StartsWith('\t') ? node1 : node0).Append(line.Trim());
        }
        return (node0.ToString(), node1.ToString());
    }

    private static bool IsHex(string s) => s.Length > 0 && s.All(char.IsAsciiHexDigitLower);
}
