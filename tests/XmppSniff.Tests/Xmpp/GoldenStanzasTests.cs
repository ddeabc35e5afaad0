namespace XmppSniff.Tests.Xmpp;

/// <summary>
/// Every XMPP capture in captures/ through `xmppsniff stanzas --format jsonl`, compared with a
/// checked-in baseline (Golden/*.stanzas.jsonl). Set XMPPSNIFF_UPDATE_GOLDEN=1 to rewrite them.
/// </summary>
/// <remarks>
/// How the baselines were checked against an independent parser: check_with_expat.py (next to
/// this file) rebuilt each direction of every reported flow from `xmppsniff follow --raw`, cut it
/// at capture gaps and at STARTTLS, and parsed it with Python's expat inside a wrapper element;
/// its top-level element sequence (stream opens and closes, element names, per direction) equalled
/// ours for all 4 XMPP captures: 24 directions of the nDPI capture (with both SASL restarts, the
/// iq results split over 3 segments, the mid-stream flows and the two gapped flows) and both
/// directions of the other three; later all 4 directions of captures/xmpp-prosody-slixmpp.pcap
/// (153 elements). Run it again after a change:
/// `python3 tests/XmppSniff.Tests/Xmpp/check_with_expat.py src/XmppSniff/bin/Debug/net10.0/xmppsniff.dll CAPTURE`.
/// </remarks>
public class GoldenStanzasTests
{
    public static TheoryData<string> Captures() => Golden.Captures(name => name.Contains("xmpp"));

    [Theory]
    [MemberData(nameof(Captures))]
    public void StanzasMatchTheBaseline(string capture) => Golden.Check("stanzas", capture);

    private const string Prosody = "captures/xmpp-prosody-slixmpp.pcap";

    [Fact]
    public void BoshBodiesAreUnwrappedIntoOneSessionWithTheSecretHidden()
    {
        const string plain = "AGJlbnZvbGlvAGJlbnZvbGlvLWJvc2gtcGFzcw=="; // \0benvolio\0benvolio-bosh-pass
        Cli.Result result = Cli.Run("stanzas", Path.Combine(Repo.Root, "captures/xmpp-bosh.pcap"), "--format", "jsonl");
        string[] lines = result.Stdout.Trim().Split('\n');
        Assert.Contains(lines, l => l.Contains("\"name\":\"auth\"") && l.Contains("\"dir\":\"c2s\""));
        Assert.Contains(lines, l => l.Contains("iq result bind benvolio@localhost/bosh"));
        Assert.Equal(2, lines.Count(l => l.Contains("hello over BOSH") && l.Contains("\"name\":\"message\"")));
        Assert.DoesNotContain(plain, result.Stdout);
        Assert.Contains(plain, Cli.Run("stanzas", Path.Combine(Repo.Root, "captures/xmpp-bosh.pcap"), "--format", "jsonl", "--show-secrets").Stdout);
    }

    [Fact]
    public void XmppOverWebSocketIsReadFromTheUpgradedConnectionWithTheSecretHidden()
    {
        const string plain = "AHBhcmlzAHBhcmlzLXdzLXBhc3M="; // \0paris\0paris-ws-pass
        string capture = Path.Combine(Repo.Root, "captures/xmpp-websocket.pcap");
        Cli.Result result = Cli.Run("stanzas", capture, "--format", "jsonl");
        string[] lines = result.Stdout.Trim().Split('\n');
        // The 16 text messages tshark shows in the upgraded connection (websocket.payload.text), one element each.
        Assert.Equal(16, lines.Length);
        Assert.DoesNotContain("\"kind\":\"note\"", result.Stdout); // nothing skipped: every masked client frame unmasked
        Assert.Equal(4, lines.Count(l => l.Contains("(WebSocket framing)") && l.Contains("\"kind\":\"stream-open\"")));
        Assert.Equal(2, lines.Count(l => l.Contains("\"body\":\"A plague o' both your houses, über WebSocket\"")));
        Assert.Contains(lines, l => l.Contains("iq result bind paris@localhost/ws"));
        Assert.DoesNotContain(plain, result.Stdout);
        Assert.Contains(plain, Cli.Run("stanzas", capture, "--format", "jsonl", "--show-secrets").Stdout);
    }

    [Fact]
    public void TheProsodySessionDecodesWithoutNotesAndKeepsThePasswordHidden()
    {
        Cli.Result result = Cli.Run("stanzas", Path.Combine(Repo.Root, Prosody), "--format", "jsonl");
        Assert.DoesNotContain("\"kind\":\"note\"", result.Stdout); // no SM ack mismatch, nothing skipped or unanswered
        Assert.DoesNotContain("AHJvbWVvAHJvbWVvLXBsYWluLXBhc3M=", result.Stdout); // PLAIN: \0romeo\0romeo-plain-pass
        Assert.DoesNotContain("romeo-plain-pass", result.Stdout);
        Assert.Contains("Héllo Julïet ☃ — <b>bold?</b> & \\\"quotes\\\" 'apos' 日本語", result.Stdout);
        Assert.Contains(new string('x', 70000) + " end of a message larger than 64 KiB", result.Stdout);
        Cli.Result shown = Cli.Run("stanzas", Path.Combine(Repo.Root, Prosody), "--format", "jsonl", "--show-secrets");
        Assert.Contains("AHJvbWVvAHJvbWVvLXBsYWluLXBhc3M=", shown.Stdout);
    }

    private const string Ndpi = "captures/real/xmpp_c2s_plaintext_sasl_iq_presence_multi-session.ndpi.pcapng";

    [Fact]
    public void TheBinaryFlowsOnPort5223AreNotCalledXmppAndEveryOtherFlowIs()
    {
        Cli.Result result = Cli.Run("stanzas", Path.Combine(Repo.Root, Ndpi), "--format", "csv");
        string[] rows = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.DoesNotContain(rows, r => r.Contains(":5223"));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), rows.Select(r => long.Parse(r.Split(',')[0])).Distinct().Order());
    }

    [Fact]
    public void SaslPayloadsAreRedactedUnlessSecretsAreShown()
    {
        // The nDPI capture's DIGEST-MD5 response carries the user name and the digest.
        Cli.Result hidden = Cli.Run("stanzas", Path.Combine(Repo.Root, Ndpi), "--format", "jsonl", "--flow", "1");
        Cli.Result shown = Cli.Run("stanzas", Path.Combine(Repo.Root, Ndpi), "--format", "jsonl", "--flow", "1", "--show-secrets");
        const string responseStart = "dXNlcm5hbWU9"; // base64 of "username="
        Assert.DoesNotContain(responseStart, hidden.Stdout);
        Assert.Contains("[redacted 276 bytes]", hidden.Stdout);
        Assert.Contains(responseStart, shown.Stdout);
    }
}
