using System.Buffers.Binary;
using System.Text.Json;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;

namespace XmppSniff.Tests.Xmpp;

/// <summary>
/// The prosody capture rewritten with data segments swapped and resent must decode to the same
/// elements: only frame numbers, times and round trips may change.
/// </summary>
public class ReorderedCaptureTests
{
    private static readonly string Original = Path.Combine(Repo.Captures, "xmpp-prosody-slixmpp.pcap");

    [Fact]
    public void ReorderedAndDuplicatedSegmentsGiveTheSameElements()
    {
        string rewritten = Path.Combine(Path.GetTempPath(), $"xmppsniff-reordered-{Environment.ProcessId}.pcap");
        try
        {
            int swapped = Rewrite(rewritten, out int duplicated);
            Assert.True(swapped >= 10 && duplicated >= 20, $"swapped {swapped}, duplicated {duplicated}");
            // Flows interleave by when their bytes are delivered, which reordering shifts; each flow's own sequence may not change.
            Assert.Equal(Elements(Original).OrderBy(FlowOf), Elements(rewritten).OrderBy(FlowOf));
        }
        finally
        {
            File.Delete(rewritten);
        }
    }

    private static string FlowOf(string element) => element[..element.IndexOf(' ')];

    private static List<string> Elements(string capture)
    {
        Cli.Result result = Cli.Run("stanzas", capture, "--format", "jsonl");
        Assert.Equal(0, result.ExitCode);
        var elements = new List<string>();
        foreach (string line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using JsonDocument row = JsonDocument.Parse(line);
            var fields = row.RootElement.EnumerateObject()
                .Where(p => p.Name is not ("frames" or "time" or "rtt_ms"))
                .Select(p => $"{p.Name}={p.Value}");
            elements.Add(string.Join(" ", fields));
        }
        return elements;
    }

    /// <summary>Swaps every pair of consecutive data segments going the same way and sends every fifth data segment twice.</summary>
    private static int Rewrite(string path, out int duplicated)
    {
        var frames = new List<(long Time, byte[] Data)>();
        using (ICaptureReader reader = CaptureFile.Open(Original))
            while (reader.TryRead(out RawFrame frame)) frames.Add((frame.Time, frame.Data.ToArray()));

        int swapped = 0;
        for (int i = 0; i + 1 < frames.Count; i++)
        {
            if (!IsData(frames[i].Data, out ushort a) || !IsData(frames[i + 1].Data, out ushort b) || a != b) continue;
            (frames[i], frames[i + 1]) = ((frames[i].Time, frames[i + 1].Data), (frames[i + 1].Time, frames[i].Data));
            swapped++;
            i++;
        }
        duplicated = 0;
        using var file = File.Create(path);
        var writer = new PcapWriter(file, LinkType.Ethernet);
        int data = 0;
        foreach (var (time, bytes) in frames)
        {
            writer.Write(time, bytes);
            if (IsData(bytes, out _) && data++ % 5 == 0)
            {
                writer.Write(time + 1000, bytes);
                duplicated++;
            }
        }
        return swapped;
    }

    /// <summary>An IPv4 TCP segment with payload (Ethernet on lo); <paramref name="sourcePort"/> tells the direction.</summary>
    private static bool IsData(byte[] frame, out ushort sourcePort)
    {
        sourcePort = 0;
        if (frame.Length < 54 || frame[12] != 0x08 || frame[13] != 0x00 || frame[23] != 6) return false;
        int ipHeader = (frame[14] & 0x0F) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16));
        int tcpHeader = (frame[14 + ipHeader + 12] >> 4) * 4;
        sourcePort = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(14 + ipHeader));
        return total - ipHeader - tcpHeader > 0;
    }
}
