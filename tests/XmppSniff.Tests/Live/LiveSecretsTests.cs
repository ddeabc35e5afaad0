using System.Text;
using XmppSniff.Tests.Shared;

namespace XmppSniff.Tests.Live;

/// <summary>
/// The live side of SecretsTests: `xmppsniff capture` on lo while the test sends real credentials
/// over loopback (an HTTP request with Basic authorization and a cookie, a SASL PLAIN auth in an
/// XMPP stream). Every format with every record kind shows none of them, plain or base64 as sent,
/// by default; with --show-secrets each output that has a place for them (Authorization, SASL
/// payload) shows them, capturing the same packets, so the search is known to find them.
/// Not covered here: the -w file (raw packets by design) and `interfaces`, which prints
/// interfaces and addresses, never traffic.
/// </summary>
public sealed class LiveSecretsTests
{
    private const string HttpUser = "rosaline", HttpPassword = "rosaline-live-basic-pass", Cookie = "nurse-live-cookie-secret";
    private const string SaslUser = "paris", SaslPassword = "paris-live-sasl-pass";

    private static readonly string BasicSent = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{HttpUser}:{HttpPassword}"));
    private static readonly string SaslSent = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{SaslUser}\0{SaslPassword}"));

    private static readonly string[] Secrets = [HttpPassword, Cookie, SaslPassword, BasicSent, SaslSent];

    /// <summary>
    /// Every output `capture` can write (jsonl takes all record kinds at once, csv and table one
    /// each), with what --show-secrets shows there: flow records and the HTTP table carry no credentials.
    /// </summary>
    private static readonly (string[] Args, string[] Shown)[] Outputs =
    [
        (["--format", "jsonl", "--records", "flows,stanzas,http"], [BasicSent, SaslSent]),
        (["--format", "csv", "--records", "flows"], []),
        (["--format", "csv", "--records", "stanzas"], [SaslSent]),
        (["--format", "csv", "--records", "http"], [BasicSent]),
        (["--format", "table", "--records", "flows"], []),
        (["--format", "table", "--records", "stanzas"], [SaslSent]),
        (["--format", "table", "--records", "http"], []),
    ];

    [LiveFact]
    public void CredentialsSentWhileCapturingShowInNoOutputUnlessAsked()
    {
        // Every output, with and without --show-secrets, captures the same traffic side by side.
        using var traffic = new LoopbackTraffic();
        var runs = (from output in Outputs from show in (bool[])[false, true] select (output.Args, output.Shown, Show: show)).ToList();
        LiveCli[] captures = Task.WhenAll(runs.Select(run => Task.Run(() =>
            LiveCli.Start(["-i", "lo", "-f", traffic.Filter, .. run.Args, .. run.Show ? (string[])["--show-secrets"] : []])))).GetAwaiter().GetResult();
        try
        {
            traffic.HttpWithCredentials(HttpUser, HttpPassword, Cookie);
            traffic.XmppSaslPlain(SaslUser, SaslPassword);
            Thread.Sleep(300); // let the kernel hand over the last packets before Ctrl+C (not a timing assertion)

            for (int i = 0; i < runs.Count; i++)
            {
                Cli.Result result = captures[i].Interrupt();
                string name = string.Join(' ', runs[i].Args) + (runs[i].Show ? " --show-secrets" : "");
                string output = result.Stdout + result.Stderr;
                Assert.True(result.ExitCode == 0, $"{name}: exit {result.ExitCode}: {result.Stderr}");
                string records = runs[i].Args[^1];
                // The traffic was seen and analysed: each output has its records, only the credentials may not be there.
                if (records.Contains("http")) Assert.True(output.Contains("/private"), $"{name}: no HTTP record\n{output}");
                if (records.Contains("stanzas")) Assert.True(output.Contains("auth"), $"{name}: no auth stanza\n{output}");
                string[] found = Secrets.Where(s => output.Contains(s, StringComparison.Ordinal)).ToArray();
                if (!runs[i].Show) Assert.True(found.Length == 0, $"{name} shows {string.Join(", ", found)}\n{output}");
                else Assert.True(runs[i].Shown.All(found.Contains), $"{name} shows {string.Join(", ", found)}, not all of {string.Join(", ", runs[i].Shown)}\n{output}");
            }
        }
        finally
        {
            foreach (LiveCli capture in captures) capture.Dispose();
        }
    }
}
