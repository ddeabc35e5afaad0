using System.Text.Json;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;

namespace XmppSniff.Tests;

/// <summary>
/// 200,000 half-open connections (a SYN flood against the XMPP server) with the real prosody/slixmpp
/// sessions inside: the sessions are found and decoded exactly as without the flood; with a flow
/// bound the table stays within it and every flow it pushed out is counted.
/// </summary>
public class SynFloodTests : IClassFixture<SynFloodTests.FloodCapture>
{
    public const int Syns = 200_000;

    private readonly FloodCapture _capture;

    public SynFloodTests(FloodCapture capture) => _capture = capture;

    /// <summary>The flood capture, written once for the class (about 14 MB) and deleted after.</summary>
    public sealed class FloodCapture : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(Directory.CreateTempSubdirectory("xmppsniff-flood-").FullName, "syn-flood.pcap");

        public string Original { get; } = System.IO.Path.Combine(Repo.Captures, "xmpp-prosody-slixmpp.pcap");

        public FloodCapture()
        {
            var frames = new List<(long Time, byte[] Data)>();
            using (ICaptureReader reader = CaptureFile.Open(Original))
            {
                while (reader.TryRead(out RawFrame frame)) frames.Add((frame.Time, frame.Data.ToArray()));
            }
            using var file = new FileStream(Path, FileMode.Create);
            using var buffered = new BufferedStream(file, 1 << 20);
            var capture = new CaptureBuilder(buffered);
            uint server = CaptureBuilder.Ip(127, 0, 0, 1);
            int written = 0;
            for (int i = 0; i < frames.Count; i++)
            {
                capture.Frame(frames[i].Time, frames[i].Data);
                // Spread the SYNs evenly between this packet and the next one, from 10.x.y.z (spoofed, each one new).
                int until = (int)((long)Syns * (i + 1) / frames.Count);
                long from = frames[i].Time, to = i + 1 < frames.Count ? frames[i + 1].Time : from + 1000;
                for (int n = written; n < until; n++)
                {
                    capture.Time = from + (to - from) * (n - written + 1) / (until - written + 1);
                    capture.Tcp(CaptureBuilder.Ip(10, (byte)(n >> 16), (byte)(n >> 8), (byte)n), (ushort)(1024 + n % 60000),
                        server, 15222, CaptureBuilder.Syn, (uint)n * 2654435761u, 0);
                }
                written = until;
            }
        }

        public void Dispose() => Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
    }

    /// <summary>What identifies a decoded element apart from flow ids and frame numbers, which the flood shifts.</summary>
    private static List<string> Elements(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement;
            string Field(string name) => e.TryGetProperty(name, out JsonElement v) ? v.ToString() : "";
            return string.Join(" | ", Field("client"), Field("dir"), Field("kind"), Field("name"), Field("id"), Field("summary"), Field("size"), Field("xml"));
        }).ToList();

    private static long Count(string summary, string key)
    {
        using var doc = JsonDocument.Parse(summary);
        foreach (JsonProperty section in doc.RootElement.EnumerateObject())
            if (section.Value.TryGetProperty(key, out JsonElement value)) return value.GetInt64();
        throw new KeyNotFoundException(key);
    }

    [Fact]
    public void TheSessionsInsideTheFloodAreDecodedAsWithoutIt()
    {
        Cli.Result original = Cli.Run("stanzas", _capture.Original, "--format", "jsonl");
        Cli.Result flooded = Cli.Run("stanzas", _capture.Path, "--format", "jsonl");
        Assert.Equal(0, flooded.ExitCode);
        Assert.Equal("", flooded.Stderr);
        List<string> expected = Elements(original.Stdout);
        Assert.True(expected.Count > 50);
        Assert.Equal(expected, Elements(flooded.Stdout));
    }

    [Fact]
    public void WithoutABoundEveryHalfOpenConnectionIsAnS0Flow()
    {
        Cli.Result summary = Cli.Run("summary", _capture.Path, "--json");
        Assert.Equal(0, summary.ExitCode);
        Assert.Equal(Syns + 2, Count(summary.Stdout, "flows"));
        Assert.Equal(Syns, Count(summary.Stdout, "state tcp S0"));
        Assert.Equal(0, Count(summary.Stdout, "flows_evicted"));
        Assert.Equal(2, Count(summary.Stdout, "app xmpp"));
    }

    [Fact]
    public void AFlowBoundHoldsEvictsAndCountsAndTheSessionsSurvive()
    {
        const int bound = 20_000;
        Cli.Result summary = Cli.Run("summary", _capture.Path, "--json", "--max-flows", bound.ToString());
        Assert.Equal(0, summary.ExitCode);
        Assert.True(Count(summary.Stdout, "peak_flows") <= bound);
        Assert.True(Count(summary.Stdout, "flows_evicted") >= Syns - bound, summary.Stdout);
        Assert.Equal(Syns + 2, Count(summary.Stdout, "flows"));
        Assert.Equal(2, Count(summary.Stdout, "app xmpp"));

        Cli.Result original = Cli.Run("stanzas", _capture.Original, "--format", "jsonl");
        Cli.Result bounded = Cli.Run("stanzas", _capture.Path, "--format", "jsonl", "--max-flows", bound.ToString());
        Assert.Equal(Elements(original.Stdout), Elements(bounded.Stdout));
    }
}
