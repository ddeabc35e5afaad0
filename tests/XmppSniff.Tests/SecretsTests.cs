using System.Text;
using System.Text.Json;

namespace XmppSniff.Tests;

/// <summary>
/// Every output of every sample capture, in every format, searched for the credentials the capture
/// scripts use (captures/make-*.sh): none appears unless --show-secrets is given. The same search
/// over --show-secrets output finds them, so the search itself is known to work.
/// </summary>
public class SecretsTests
{
    /// <summary>The test credentials of the capture scripts, as they may appear: plain, and as sent (base64 SASL PLAIN, HTTP Basic).</summary>
    private static readonly string[] Secrets =
    [
        "romeo-plain-pass", "juliet-scram-pass", "benvolio-bosh-pass", "mercutio-tls-pass", "paris-ws-pass",
        "tybalt-basic-pass", "capulet-cookie-secret", "montague-bearer-token",
        Convert.ToBase64String(Encoding.UTF8.GetBytes("\0romeo\0romeo-plain-pass")),
        Convert.ToBase64String(Encoding.UTF8.GetBytes("\0benvolio\0benvolio-bosh-pass")),
        Convert.ToBase64String(Encoding.UTF8.GetBytes("\0paris\0paris-ws-pass")),
        Convert.ToBase64String(Encoding.UTF8.GetBytes("tybalt:tybalt-basic-pass")),
    ];

    /// <summary>Captures whose bytes carry some of <see cref="Secrets"/> in the clear (xmpp-starttls.pcap sends them inside TLS).</summary>
    private static readonly string[] WithSecrets = ["xmpp-prosody-slixmpp.pcap", "xmpp-bosh.pcap", "xmpp-websocket.pcap", "http-auth-cookie.pcap", "xmpp-starttls.pcap"];

    private static IEnumerable<string> Captures() =>
        Directory.EnumerateFiles(Repo.Captures, "*.pcap").Select(Path.GetFileName).Order()!;

    private static List<string> Found(string output)
    {
        string hexless = output.Replace("\n", "").Replace("\t", "");
        return Secrets.Where(s => output.Contains(s) || hexless.Contains(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s)))).ToList();
    }

    private static IEnumerable<string[]> Runs(string capture)
    {
        string path = Path.Combine(Repo.Captures, capture);
        foreach (string command in (string[])["flows", "stanzas", "http"])
            foreach (string format in (string[])["jsonl", "csv", "table"])
                yield return [command, path, "--format", format];
        yield return ["summary", path];
        yield return ["summary", path, "--json"];
    }

    private static IEnumerable<string[]> FollowRuns(string capture)
    {
        string path = Path.Combine(Repo.Captures, capture);
        Cli.Result flows = Cli.Run("flows", path, "--format", "jsonl");
        foreach (string line in flows.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string id = JsonDocument.Parse(line).RootElement.GetProperty("id").ToString();
            yield return ["follow", path, id];
            yield return ["follow", path, id, "--raw"];
        }
    }

    [Fact]
    public void TheCapturesWithCredentialsAreStillHere() =>
        Assert.All(WithSecrets, c => Assert.Contains(c, Captures()));

    [Fact]
    public void NoOutputOfAnySampleCaptureShowsACredential()
    {
        // The other captures carry none of these credentials, so only these can leak them.
        string[][] runs = WithSecrets.SelectMany(c => Runs(c).Concat(FollowRuns(c))).ToArray();
        var leaks = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(runs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, args =>
        {
            Cli.Result result = Cli.Run(args);
            if (result.ExitCode != 0) leaks.Add($"{string.Join(' ', args)}: exit {result.ExitCode}");
            foreach (string secret in Found(result.Stdout + result.Stderr))
                leaks.Add($"{args[0]} {Path.GetFileName(args[1])} {string.Join(' ', args[2..])}: {secret}");
        });
        Assert.Empty(leaks);
    }

    [Theory]
    [InlineData("stanzas", "xmpp-prosody-slixmpp.pcap", "romeo-plain-pass")]
    [InlineData("stanzas", "xmpp-bosh.pcap", "benvolio-bosh-pass")]
    [InlineData("stanzas", "xmpp-websocket.pcap", "paris-ws-pass")]
    [InlineData("http", "http-auth-cookie.pcap", "tybalt-basic-pass")]
    public void ShowSecretsShowsThem(string command, string capture, string password)
    {
        Cli.Result result = Cli.Run(command, Path.Combine(Repo.Captures, capture), "--format", "jsonl", "--show-secrets");
        Assert.Contains(Found(result.Stdout), s => s.Contains(password) || Encoding.UTF8.GetString(TryBase64(s)).Contains(password));
    }

    [Theory]
    [InlineData("xmpp-prosody-slixmpp.pcap", "1", "romeo-plain-pass")]
    [InlineData("http-auth-cookie.pcap", "2", "capulet-cookie-secret")]
    [InlineData("http-auth-cookie.pcap", "4", "montague-bearer-token")]
    public void FollowShowsThemOnlyWhenAsked(string capture, string flow, string secret)
    {
        string path = Path.Combine(Repo.Captures, capture);
        Cli.Result shown = Cli.Run("follow", path, flow, "--show-secrets");
        Cli.Result masked = Cli.Run("follow", path, flow);
        Assert.NotEmpty(Found(shown.Stdout));
        Assert.Empty(Found(masked.Stdout));
        Assert.Equal(shown.Stdout.Length, masked.Stdout.Length); // masked byte for byte: sizes and layout stay
        Assert.Contains(Found(shown.Stdout), s => s.Contains(secret) || Encoding.UTF8.GetString(TryBase64(s)).Contains(secret));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheTerminalUisFollowViewMasksThemUnlessAsked(bool showSecrets)
    {
        using var source = new XmppSniff.Explore.FileCaptureSource(Path.Combine(Repo.Captures, "http-auth-cookie.pcap"), new XmppSniff.Analysis.Flows.FlowLimits(), showSecrets);
        var text = new StringBuilder();
        foreach (long flow in (long[])[1, 2, 3, 4])
            foreach (var chunk in source.Follow(flow, CancellationToken.None)) text.Append(Encoding.Latin1.GetString(chunk.Data)).Append('\n');
        if (showSecrets) Assert.NotEmpty(Found(text.ToString()));
        else Assert.Empty(Found(text.ToString()));
        Assert.Contains("Authorization: Basic ", text.ToString());
    }

    private static byte[] TryBase64(string s)
    {
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
