namespace XmppSniff.Tests.Tls;

/// <summary>
/// The key-logged captures (captures/make-tls-keylog-captures.sh) decrypted with their key logs,
/// through `flows`, `stanzas` and `http`, compared with checked-in baselines
/// (Golden/*.{flows,stanzas,http}-keylog.jsonl). Without the key log the same captures are in
/// the ordinary golden tests, encrypted; xmpp-tls12-dsb.pcapng carries its key log inside.
/// </summary>
/// <remarks>
/// Reviewed by hand (2026-11-25): every flow is decrypted (tls.decrypted true, no reason), the
/// XMPP sessions show the stream restart after STARTTLS, SASL (payloads redacted), bind, presence
/// and the message each session sends itself; https-curl.pcap has 6 GET 200 transactions, the
/// last two on one connection with a TLS 1.3 KeyUpdate between them.
/// </remarks>
public class GoldenTlsTests
{
    [Theory]
    [InlineData("xmpp-tls13")]
    [InlineData("xmpp-tls12")]
    [InlineData("https-curl")]
    [InlineData("xmpp-websocket-tls")]
    public void FlowsWithTheKeyLogMatchTheBaseline(string name) =>
        Golden.Check("flows", $"captures/{name}.pcap", "keylog", "--keylog", $"captures/{name}.keylog");

    [Theory]
    [InlineData("xmpp-tls13")]
    [InlineData("xmpp-tls12")]
    [InlineData("xmpp-websocket-tls")] // XMPP over wss://, as browsers connect: TLS, then HTTP, then WebSocket
    public void StanzasWithTheKeyLogMatchTheBaseline(string name) =>
        Golden.Check("stanzas", $"captures/{name}.pcap", "keylog", "--keylog", $"captures/{name}.keylog");

    [Fact]
    public void HttpsTransactionsWithTheKeyLogMatchTheBaseline() =>
        Golden.Check("http", "captures/https-curl.pcap", "keylog", "--keylog", "captures/https-curl.keylog");

    [Fact]
    public void SaslSecretsInsideTlsAreRedactedUnlessAsked()
    {
        string capture = Path.Combine(Repo.Captures, "xmpp-tls13.pcap"), keylog = Path.Combine(Repo.Captures, "xmpp-tls13.keylog");
        string redacted = Cli.Run("stanzas", capture, "--keylog", keylog, "--format", "jsonl").Stdout;
        string shown = Cli.Run("stanzas", capture, "--keylog", keylog, "--format", "jsonl", "--show-secrets").Stdout;
        Assert.Contains("\"name\":\"auth\"", redacted);
        Assert.Contains("redacted", redacted);
        Assert.DoesNotContain("cj0", redacted);  // base64 of "r=" in a SCRAM first message
        Assert.Contains("cj0", shown);
    }

    [Fact]
    public void NoSecretEverReachesTheOutput()
    {
        string capture = Path.Combine(Repo.Captures, "xmpp-tls12.pcap"), keylog = Path.Combine(Repo.Captures, "xmpp-tls12.keylog");
        string[] secrets = File.ReadAllLines(keylog).Where(l => !l.StartsWith('#')).Select(l => l.Split(' ')[2]).ToArray();
        foreach (string command in (string[])["flows", "stanzas"])
        {
            Cli.Result result = Cli.Run(command, capture, "--keylog", keylog, "--format", "jsonl", "--show-secrets");
            foreach (string secret in secrets)
            {
                Assert.DoesNotContain(secret, result.Stdout, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(secret, result.Stderr, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void AKeyLogThatCannotBeReadIsOneLineAndExit2()
    {
        Cli.Result result = Cli.Run("flows", Path.Combine(Repo.Captures, "xmpp-tls13.pcap"), "--keylog", "/no/such/keylog");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("/no/such/keylog", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void AWrongKeyLeavesTheFlowEncryptedAndSaysWhyOnce()
    {
        string wrong = Path.Combine(Path.GetTempPath(), $"xmppsniff-wrong-{Guid.NewGuid():N}.keylog");
        // Every secret with its last hex digit changed: the right client randoms, the wrong keys.
        File.WriteAllLines(wrong, File.ReadAllLines(Path.Combine(Repo.Captures, "xmpp-tls12.keylog"))
            .Where(l => !l.StartsWith('#')).Select(l => l[..^1] + (l[^1] == '0' ? '1' : '0')));
        try
        {
            Cli.Result result = Cli.Run("stanzas", Path.Combine(Repo.Captures, "xmpp-tls12.pcap"), "--keylog", wrong, "--format", "jsonl");
            string[] lines = result.Stdout.Trim().Split('\n');
            Assert.DoesNotContain(lines, l => l.Contains("hello over"));
            Assert.Equal(4, lines.Count(l => l.Contains("\"name\":\"tls\"") && l.Contains("failed authentication")));
            string flows = Cli.Run("flows", Path.Combine(Repo.Captures, "xmpp-tls12.pcap"), "--keylog", wrong, "--format", "jsonl").Stdout;
            Assert.Equal(4, flows.Split('\n').Count(l => l.Contains("\"decrypted\":false") && l.Contains("failed authentication")));
        }
        finally
        {
            File.Delete(wrong);
        }
    }

    [Fact]
    public void InjectedSecretsDecryptWithoutTheKeyLog()
    {
        string output = Path.Combine(Path.GetTempPath(), $"xmppsniff-dsb-{Guid.NewGuid():N}.pcapng");
        try
        {
            Cli.Result inject = Cli.Run("inject-secrets", Path.Combine(Repo.Captures, "https-curl.pcap"), output,
                "--keylog", Path.Combine(Repo.Captures, "https-curl.keylog"));
            Assert.Equal(0, inject.ExitCode);
            string withDsb = Cli.Run("http", output, "--format", "jsonl").Stdout;
            string withKeylog = Cli.Run("http", Path.Combine(Repo.Captures, "https-curl.pcap"), "--format", "jsonl",
                "--keylog", Path.Combine(Repo.Captures, "https-curl.keylog")).Stdout;
            Assert.Equal(6, withDsb.Trim().Split('\n').Length);
            Assert.Equal(withKeylog, withDsb);
        }
        finally
        {
            File.Delete(output);
        }
    }
}
