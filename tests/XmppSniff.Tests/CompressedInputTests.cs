using System.Text.Json;
using XmppSniff.Tests.Shared;

namespace XmppSniff.Tests;

/// <summary>A gzip-compressed capture (capture.pcap.gz), read as tshark reads one: decompressed, whole or damaged.</summary>
public class CompressedInputTests : TempFiles
{
    private static readonly string Plain = Path.Combine(Repo.Captures, "xmpp-prosody-slixmpp.pcap");

    [Fact]
    public void A_gzipped_capture_gives_what_the_capture_gives_from_a_file_and_from_standard_input()
    {
        byte[] gz = Gzip.Compress(File.ReadAllBytes(Plain));
        Cli.Result plain = Cli.Run("stanzas", Plain, "--format", "jsonl");
        Cli.Result fromFile = Cli.Run("stanzas", Write("session.pcap.gz", gz), "--format", "jsonl");
        Cli.Result fromPipe = Cli.RunWithInput(gz, "stanzas", "-", "--format", "jsonl");
        Assert.Equal(0, plain.ExitCode);
        Assert.Equal((0, "", plain.Stdout), (fromFile.ExitCode, fromFile.Stderr, fromFile.Stdout));
        Assert.Equal((0, "", plain.Stdout), (fromPipe.ExitCode, fromPipe.Stderr, fromPipe.Stdout));
    }

    [Fact]
    public void Summary_says_the_capture_was_gzip_compressed_and_counts_it_as_the_capture()
    {
        string gz = Write("session.pcap.gz", Gzip.Compress(File.ReadAllBytes(Plain)));
        using JsonDocument plain = JsonDocument.Parse(Cli.Run("summary", Plain, "--json").Stdout);
        using JsonDocument compressed = JsonDocument.Parse(Cli.Run("summary", gz, "--json").Stdout);
        JsonElement file = compressed.RootElement.GetProperty("file");
        Assert.Equal("none", plain.RootElement.GetProperty("file").GetProperty("compression").GetString());
        Assert.Equal("gzip", file.GetProperty("compression").GetString());
        Assert.Equal(new FileInfo(Plain).Length, file.GetProperty("size_bytes").GetInt64());
        Assert.Equal(plain.RootElement.GetProperty("packets").GetRawText(), compressed.RootElement.GetProperty("packets").GetRawText());
    }

    [Fact]
    public void A_gzipped_capture_cut_short_is_read_up_to_the_cut()
    {
        byte[] gz = Gzip.Compress(File.ReadAllBytes(Plain));
        string path = Write("cut.pcap.gz", gz[..(gz.Length / 2)]);
        Cli.Result result = Cli.Run("flows", path, "--format", "jsonl");
        Assert.Equal(0, result.ExitCode);
        Assert.NotEqual("", result.Stdout);
        Assert.Matches(@"^xmppsniff: warning: .*cut\.pcap\.gz: file is truncated in the middle of packet \d+$", result.Stderr.Trim());
    }

    [Fact]
    public void Damaged_gzip_data_is_read_up_to_the_damage_and_said_so()
    {
        byte[] gz = Gzip.Compress(File.ReadAllBytes(Plain));
        for (int i = gz.Length / 2; i < gz.Length / 2 + 8; i++) gz[i] ^= 0x5A;
        string path = Write("damaged.pcap.gz", gz);
        Cli.Result result = Cli.Run("flows", path, "--format", "jsonl");
        Assert.Equal(0, result.ExitCode);
        Assert.NotEqual("", result.Stdout);
        Assert.Matches(@"xmppsniff: warning: .*damaged\.pcap\.gz: gzip data is damaged after \d+ decompressed bytes; read up to there", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Theory]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F, 0xFD, 0x04, 0x58 }, "zstd")]
    [InlineData(new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00 }, "xz")]
    [InlineData(new byte[] { 0x42, 0x5A, 0x68, 0x39, 0x31, 0x41 }, "bzip2")]
    [InlineData(new byte[] { 0x04, 0x22, 0x4D, 0x18, 0x64, 0x40 }, "lz4")]
    public void A_capture_compressed_another_way_is_refused_with_the_command_that_reads_it(byte[] start, string tool)
    {
        string path = Write("capture.pcap." + tool, [.. start, .. new byte[64]]);
        Cli.Result result = Cli.Run("flows", path);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith($"; it is {tool}-compressed: {tool} -dc FILE | xmppsniff ... -", result.Stderr.Trim());
    }
}
