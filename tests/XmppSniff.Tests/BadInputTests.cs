namespace XmppSniff.Tests;

/// <summary>Bad files: one line on stderr naming the file and the problem, the documented exit code, no stack trace.</summary>
public class BadInputTests : TempFiles
{
    private static void AssertRefused(Cli.Result result, string path, string problem)
    {
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(path, line);
        Assert.Contains(problem, line);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("flows")]
    [InlineData("summary")]
    public void EmptyFileIsRefused(string command)
    {
        string path = Write("empty.pcap", []);
        AssertRefused(Cli.Run(command, path), path, "empty");
    }

    [Fact]
    public void ADirectoryIsNotACapture()
    {
        string path = PathFor("captures");
        Directory.CreateDirectory(path);
        AssertRefused(Cli.Run("flows", path), path, "is a directory, not a capture file");
    }

    [Fact]
    public void TextFileIsNotACapture()
    {
        string path = Write("notes.pcap", "hello, this is not a capture\n"u8.ToArray());
        AssertRefused(Cli.Run("flows", path, "--format", "jsonl"), path, "not a pcap or pcapng file");
    }

    [Fact]
    public void RandomBytesAreNotACapture()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x00; // not a magic by chance
        string path = Write("random.bin", bytes);
        AssertRefused(Cli.Run("flows", path, "--format", "jsonl"), path, "not a pcap or pcapng file");
    }

    [Fact]
    public void MissingFileIsOneLine()
    {
        string path = PathFor("nowhere.pcap");
        Cli.Result result = Cli.Run("flows", path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(path, Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void FirstRecordClaimingAnImpossibleLengthIsRefused()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Repo.Captures, "tcp-refused.pcap"));
        BitConverter.GetBytes(0x7FFF_FFF0u).CopyTo(bytes, 24 + 8); // incl_len of record 1: 2 GiB
        string path = Write("huge.pcap", bytes);
        AssertRefused(Cli.Run("flows", path, "--format", "jsonl"), path, "impossible length");
    }

    [Fact]
    public void FileCutMidPacketKeepsEveryCompletePacketAndWarns()
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(Repo.Captures, "tcp-short-connections.pcap"));
        string cut = Write("cut.pcap", whole[..(whole.Length - 20)]);
        Cli.Result result = Cli.Run("flows", cut, "--format", "jsonl");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("truncated", result.Stderr);
        Assert.Contains(cut, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal(5, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Cli.Result summary = Cli.Run("summary", cut);
        Assert.Matches(@"truncated\s+yes", summary.Stdout);
        Assert.Matches(@"packets\s+49\n", summary.Stdout); // 50 in the whole file, the last one cut
    }
}
