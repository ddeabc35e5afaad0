namespace XmppSniff.Tests;

/// <summary>
/// Every capture in captures/ through `xmppsniff flows --format jsonl`, compared with a checked-in
/// baseline (stdout, then the exit code and stderr). Set XMPPSNIFF_UPDATE_GOLDEN=1 to rewrite them.
/// </summary>
/// <remarks>
/// The byte counts were checked once by hand against tshark 4.0.17 (2026-11-25): for every TCP
/// flow of every capture here, bytes_c2s and bytes_s2c equal max(tcp.seq + tcp.len) - min(tcp.seq)
/// per direction from `tshark -T fields` with relative sequence numbers. The exceptions are flows
/// tshark keeps as one stream and we split after an idle timeout or a RST (the nDPI jabber capture,
/// 4 flows; sll1_rtsp, 2 flows: same bytes in total) and the fuzzed corrupt_fuzzed_big-endian_http.
/// </remarks>
public class GoldenFlowsTests
{
    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Repo.Captures, "*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".pcap") || f.EndsWith(".pcapng"))
                     .Order(StringComparer.Ordinal))
            data.Add(Repo.Relative(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void FlowsMatchTheBaseline(string capture)
    {
        Cli.Result result = Cli.Run("flows", Path.Combine(Repo.Root, capture), "--format", "jsonl");
        string actual = result.Stdout
            + $"# exit {result.ExitCode}\n"
            + result.Stderr.Replace(Repo.Root + Path.DirectorySeparatorChar, "");
        string golden = Path.Combine(Repo.Golden, Path.GetFileName(capture) + ".flows.jsonl");

        if (Environment.GetEnvironmentVariable("XMPPSNIFF_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, actual);
            return;
        }
        Assert.True(File.Exists(golden), $"no baseline {Repo.Relative(golden)}; run with XMPPSNIFF_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(golden), actual);
        Assert.DoesNotContain("   at ", result.Stderr); // never a stack trace
    }
}
