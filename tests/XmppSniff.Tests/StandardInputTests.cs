using System.Diagnostics;

namespace XmppSniff.Tests;

/// <summary>A capture piped in, as `tcpdump -w - | xmppsniff flows -` or `zcat capture.pcap.gz | xmppsniff stanzas -` would.</summary>
public class StandardInputTests
{
    private static byte[] Capture(string name) => File.ReadAllBytes(Path.Combine(Repo.Captures, name));

    [Theory]
    [InlineData("flows", "tcp-reset.pcap")]
    [InlineData("stanzas", "xmpp-prosody-slixmpp.pcap")]
    [InlineData("http", "http-python-curl.pcap")]
    public void A_capture_on_standard_input_gives_what_the_file_gives(string command, string capture)
    {
        Cli.Result fromFile = Cli.Run(command, Path.Combine(Repo.Captures, capture), "--format", "jsonl");
        Assert.Equal(0, fromFile.ExitCode);
        Assert.NotEqual("", fromFile.Stdout);
        foreach (string path in (string[])["-", "/dev/stdin"])
        {
            // "-" is standard input by name; /dev/stdin is a pipe here, which cannot be mapped either.
            Cli.Result piped = Cli.RunWithInput(Capture(capture), command, path, "--format", "jsonl");
            Assert.Equal("", piped.Stderr);
            Assert.Equal(0, piped.ExitCode);
            Assert.Equal(fromFile.Stdout, piped.Stdout);
        }
    }

    [Fact]
    public void A_capture_cut_short_on_standard_input_is_read_up_to_the_cut_and_named_stdin()
    {
        byte[] cut = Capture("xmpp-prosody-slixmpp.pcap")[..3000];
        Cli.Result result = Cli.RunWithInput(cut, "flows", "-", "--format", "jsonl");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"proto\":\"tcp\"", result.Stdout);
        Assert.Equal("xmppsniff: warning: stdin: file is truncated in the middle of packet 15", result.Stderr.Trim());
    }

    [Theory]
    [InlineData(new byte[0], "xmppsniff: stdin: empty file")]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, "xmppsniff: stdin: not a pcap or pcapng file (magic 0x68656c6c)")]
    public void Nothing_or_not_a_capture_on_standard_input_is_one_line_and_exit_code_2(byte[] input, string line)
    {
        Cli.Result result = Cli.RunWithInput(input, "flows", "-");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal(line, result.Stderr.Trim());
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Endless_bytes_that_are_not_a_capture_are_refused_at_once_not_read_to_their_end()
    {
        using Process process = Cli.Start(input: true, "flows", "-");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var noise = new byte[1 << 20];
        new Random(3).NextBytes(noise);
        noise[0] = 0x42; // not a magic by chance
        long written = 0;
        try
        {
            // 4 GiB, more than a temporary file should ever take for this.
            for (; written < 4L << 30; written += noise.Length) process.StandardInput.BaseStream.Write(noise);
        }
        catch (IOException)
        {
            // The pipe broke: xmppsniff stopped reading.
        }
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("xmppsniff: stdin: not a pcap or pcapng file (magic 0x42", await stderr);
        Assert.True(written < 64 << 20, $"{written} bytes were taken");
    }

    [Fact]
    public void Open_refuses_a_pipe_since_it_reads_keys_from_the_terminal_and_frames_twice()
    {
        Cli.Result result = Cli.RunWithInput(Capture("tcp-reset.pcap"), "open", "-");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("xmppsniff: stdin: open needs a capture file, not a pipe", result.Stderr);
    }
}
