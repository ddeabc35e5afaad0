using System.Buffers.Binary;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;

namespace XmppSniff.Tests;

/// <summary>
/// Every kind of broken file the issue lists, through the command line: exit 2 and one line naming the
/// file when nothing can be read; exit 0 with one warning line when the file is read up to the damage,
/// and then every complete packet before the damage is analysed. Never a stack trace.
/// </summary>
public class BrokenFileTests : TempFiles
{
    private static string Sample(string name) => Path.Combine(Repo.Captures, name);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertNoTrace(Cli.Result result)
    {
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr);
    }

    /// <summary>Read up to the damage: exit 0, one warning naming the file and the problem.</summary>
    private static void AssertWarned(Cli.Result result, string path, string problem)
    {
        Assert.Equal(0, result.ExitCode);
        string line = Assert.Single(Lines(result.Stderr));
        Assert.StartsWith("xmppsniff: warning: " + path + ": ", line);
        Assert.Contains(problem, line);
        AssertNoTrace(result);
    }

    private static void AssertRefused(Cli.Result result, string path, string problem)
    {
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(Lines(result.Stderr));
        Assert.StartsWith("xmppsniff: " + path + ": ", line);
        Assert.Contains(problem, line);
        Assert.Equal("", result.Stdout);
        AssertNoTrace(result);
    }

    /// <summary>The sample's frames rewritten as pcapng, and where each block starts.</summary>
    private static (byte[] File, List<int> BlockStarts) AsPcapNg(string sample)
    {
        var stream = new MemoryStream();
        var writer = new PcapNgWriter(stream);
        var starts = new List<int>();
        using ICaptureReader reader = CaptureFile.Open(Sample(sample));
        while (reader.TryRead(out RawFrame frame))
        {
            starts.Add((int)stream.Length);
            writer.Write(frame.LinkType, frame.Time, frame.Data, frame.OriginalLength);
        }
        return (stream.ToArray(), starts);
    }

    /// <summary>Offsets of the records of a classic pcap file.</summary>
    private static List<int> PcapRecords(byte[] file)
    {
        var starts = new List<int>();
        for (int at = 24; at + 16 <= file.Length; at += 16 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)))
            starts.Add(at);
        return starts;
    }

    private static int FlowCount(Cli.Result result) => Lines(result.Stdout).Length;

    [Fact]
    public void WrongMagicIsRefusedAndShowsTheMagic()
    {
        byte[] bytes = File.ReadAllBytes(Sample("tcp-refused.pcap"));
        bytes[0] = 0xD5; // a byte off
        string path = Write("wrong-magic.pcap", bytes);
        AssertRefused(Cli.Run("flows", path, "--format", "jsonl"), path, "not a pcap or pcapng file (magic 0xd5c3b2a1)");
    }

    [Fact]
    public void HeaderOnlyCutIsRefused()
    {
        string path = Write("short.pcap", File.ReadAllBytes(Sample("tcp-refused.pcap"))[..20]);
        AssertRefused(Cli.Run("summary", path), path, "pcap file header is cut short (20 of 24 bytes)");
    }

    [Fact]
    public void RecordClaiming2GiBMidFileKeepsThePacketsBeforeIt()
    {
        byte[] bytes = File.ReadAllBytes(Sample("tcp-short-connections.pcap"));
        List<int> records = PcapRecords(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(records[20] + 8), 0x8000_0000u); // record 21 claims 2 GiB
        string path = Write("2gib.pcap", bytes);
        Cli.Result summary = Cli.Run("summary", path);
        AssertWarned(summary, path, "record 21 claims an impossible length of 2147483648 bytes; stopped reading there");
        Assert.Matches(@"packets\s+20\n", summary.Stdout);
        Assert.True(FlowCount(Cli.Run("flows", path, "--format", "jsonl")) >= 2);
    }

    [Fact]
    public void PcapNgBlockWithABadLengthStopsThereWithAWarning()
    {
        (byte[] bytes, List<int> blocks) = AsPcapNg("tcp-short-connections.pcap");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(blocks[30] + 4), 13); // not a multiple of 4
        string path = Write("bad-length.pcapng", bytes);
        Cli.Result summary = Cli.Run("summary", path);
        AssertWarned(summary, path, $"block at offset {blocks[30]} has a bad length of 13 bytes; stopped reading there");
        Assert.Matches(@"packets\s+30\n", summary.Stdout);
    }

    [Fact]
    public void PcapNgBlockWhoseTrailingLengthDisagreesStopsThere()
    {
        (byte[] bytes, List<int> blocks) = AsPcapNg("tcp-short-connections.pcap");
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(blocks[10] + 4));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(blocks[10] + length - 4), 0xFFFF_FFF0u);
        string path = Write("bad-trailer.pcapng", bytes);
        Cli.Result summary = Cli.Run("summary", path);
        AssertWarned(summary, path, "ends with length 4294967280");
        Assert.Matches(@"packets\s+10\n", summary.Stdout);
    }

    [Fact]
    public void PcapNgBlockClaiming2GiBStopsThere()
    {
        (byte[] bytes, List<int> blocks) = AsPcapNg("tcp-short-connections.pcap");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(blocks[5] + 4), 0x8000_0000u);
        string path = Write("2gib.pcapng", bytes);
        Cli.Result summary = Cli.Run("summary", path);
        AssertWarned(summary, path, "claims 2147483648 bytes, past the end of the file");
        Assert.Matches(@"packets\s+5\n", summary.Stdout);
    }

    [Fact]
    public void PcapNgCutMidPacketKeepsEveryCompletePacket()
    {
        (byte[] bytes, List<int> blocks) = AsPcapNg("tcp-short-connections.pcap");
        string path = Write("cut.pcapng", bytes[..(blocks[^1] + 20)]);
        Cli.Result summary = Cli.Run("summary", path);
        AssertWarned(summary, path, $"file is truncated in the middle of packet {blocks.Count}");
        Assert.Matches(@"packets\s+49\n", summary.Stdout);
        Assert.Matches(@"truncated\s+yes", summary.Stdout);
        Assert.Equal(5, FlowCount(Cli.Run("flows", path, "--format", "jsonl")));
    }

    [Fact]
    public void SnapLengthZeroIsReadAsIfUnbounded()
    {
        byte[] bytes = File.ReadAllBytes(Sample("tcp-short-connections.pcap"));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), 0);
        string path = Write("snaplen0.pcap", bytes);
        Cli.Result flows = Cli.Run("flows", path, "--format", "jsonl");
        Assert.Equal(0, flows.ExitCode);
        Assert.Equal("", flows.Stderr);
        Assert.Equal(Cli.Run("flows", Sample("tcp-short-connections.pcap"), "--format", "jsonl").Stdout, flows.Stdout);
    }

    [Fact]
    public void TimestampsGoingBackwardsAreCountedAndTheFlowsStillRead()
    {
        byte[] bytes = File.ReadAllBytes(Sample("tcp-short-connections.pcap"));
        List<int> records = PcapRecords(bytes);
        // Every tenth packet is stamped an hour earlier than it was.
        for (int i = 5; i < records.Count; i += 10)
        {
            uint seconds = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(records[i]));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(records[i]), seconds - 3600);
        }
        string path = Write("backwards.pcap", bytes);
        Cli.Result summary = Cli.Run("summary", path);
        Assert.Equal(0, summary.ExitCode);
        Assert.Equal("", summary.Stderr);
        Assert.Matches(@"time_went_backwards\s+5\n", summary.Stdout);
        Assert.Matches(@"packets\s+50\n", summary.Stdout);
        Cli.Result flows = Cli.Run("flows", path, "--format", "jsonl");
        Assert.Equal(5, FlowCount(flows));
        Assert.DoesNotContain("\"duration\":-", flows.Stdout);
    }

    [Fact]
    public void GarbageAfterAValidPcapHeaderIsReadUpToTheDamage()
    {
        var random = new Random(99);
        byte[] garbage = new byte[64 * 1024];
        random.NextBytes(garbage);
        byte[] header = File.ReadAllBytes(Sample("tcp-refused.pcap"))[..24];
        string path = Write("garbage.pcap", [.. header, .. garbage]);
        foreach (string command in (string[])["flows", "summary", "stanzas", "http"])
        {
            Cli.Result result = Cli.Run(command, path);
            Assert.True(result.ExitCode is 0 or 2, $"{command}: exit {result.ExitCode}");
            Assert.True(Lines(result.Stderr).Length <= 1, result.Stderr);
            Assert.Contains(path, result.Stderr);
            AssertNoTrace(result);
        }
    }

    [Fact]
    public void PcapNgWithRandomBytesAfterTheSectionHeaderEndsWithOneWarning()
    {
        (byte[] bytes, List<int> blocks) = AsPcapNg("tcp-refused.pcap");
        byte[] garbage = new byte[4096];
        new Random(5).NextBytes(garbage);
        string path = Write("garbage.pcapng", [.. bytes[..blocks[0]], .. garbage]);
        Cli.Result result = Cli.Run("summary", path);
        Assert.True(result.ExitCode is 0 or 2);
        Assert.Single(Lines(result.Stderr));
        AssertNoTrace(result);
    }
}
