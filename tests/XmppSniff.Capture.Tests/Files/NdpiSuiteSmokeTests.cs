using Xunit.Abstractions;
using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

/// <summary>
/// nDPI's test captures, fuzzer outputs among them: every file either opens or is refused with a
/// CaptureFileException, and reading always ends without any other exception.
/// </summary>
public class NdpiSuiteSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_file_opens_or_is_refused_cleanly_and_reading_terminates()
    {
        string[] files = Directory.GetFiles(TestPaths.NdpiSuite);
        Assert.True(files.Length > 100, $"expected the nDPI suite in {TestPaths.NdpiSuite}");
        Array.Sort(files, StringComparer.Ordinal);

        int refused = 0, damaged = 0;
        long frames = 0;
        foreach (string path in files)
        {
            ICaptureReader reader;
            try
            {
                reader = CaptureFile.Open(path);
            }
            catch (CaptureFileException e)
            {
                refused++;
                output.WriteLine($"refused: {e.Message}");
                continue;
            }

            using (reader)
            {
                // Every block or record is at least 12 bytes, so more reads than this means a loop.
                long bound = reader.Length / 12 + 1;
                long reads = 0;
                while (reader.TryRead(out _))
                {
                    Assert.True(++reads <= bound, $"{path}: no progress");
                    frames++;
                }

                Assert.InRange(reader.Position, 0, reader.Length);
                if (reader.Warnings.Count > 0)
                {
                    damaged++;
                    output.WriteLine($"warned: {Path.GetFileName(path)}: {string.Join(" | ", reader.Warnings)}");
                }
            }
        }

        output.WriteLine($"{files.Length} files, {refused} refused, {damaged} with warnings, {frames} frames");
    }

    // Checked with tshark 4.x (`tshark -r F -T fields -e frame.number | wc -l`); in fact every
    // file of the suite but the refused fuzz-2021-10-13.pcap gave tshark's count when this was written.
    [Theory]
    [InlineData("1kxun.pcap", 1723)]
    [InlineData("alexa-app.pcapng", 3103)]
    [InlineData("opera-vpn.pcapng", 3200)]
    [InlineData("dhcp-fuzz.pcapng", 1)]
    [InlineData("quic-fuzz-overflow.pcapng", 1)]
    [InlineData("tls-esni-fuzzed.pcap", 3)]
    [InlineData("fuzz-2006-06-26-2594.pcap", 691)]
    public void Frame_count_matches_tshark(string name, int expected)
    {
        using ICaptureReader reader = CaptureFile.Open(Path.Combine(TestPaths.NdpiSuite, name));

        Assert.Equal(expected, reader.ReadAll().Count);
    }
}
