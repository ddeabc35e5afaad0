using XmppSniff.Capture.Files;
using XmppSniff.Tests.Shared;

namespace XmppSniff.Capture.Tests.Files;

/// <summary>gzip captures: read decompressed, and decompressed once however often the file is opened (`open` opens it three times).</summary>
public class CompressedCaptureTests
{
    private static readonly string Plain = Path.Combine(TestPaths.RepoRoot, "captures", "xmpp-prosody-slixmpp.pcap");

    private static List<string> Frames(string path)
    {
        using ICaptureReader reader = CaptureFile.Open(path);
        return Texts(reader.ReadAll());
    }

    private static List<string> Texts(List<FrameCopy> frames) => [.. frames.Select(f => $"{f.Number} {f.Time} {f.OriginalLength} {Convert.ToHexString(f.Data)}")];

    [Fact]
    public void A_file_opened_again_is_not_decompressed_again_and_reads_the_same()
    {
        using var gz = new TempCapture(Gzip.Compress(File.ReadAllBytes(Plain)));
        List<string> plain = Frames(Plain);

        int before = CaptureFile.Decompressions;
        using ICaptureReader first = gz.Open();
        using ICaptureReader second = gz.Open();
        Assert.Equal(1, CaptureFile.Decompressions - before);

        Assert.Equal("gzip", first.Compression);
        Assert.Null(CaptureFile.Open(Plain).Compression);
        // Each has a mapping of its own: the first going away leaves the second whole.
        first.Dispose();
        Assert.Equal(plain, Texts(second.ReadAll()));
        Assert.Equal(plain, Frames(gz.FilePath));
        Assert.Equal(1, CaptureFile.Decompressions - before);
    }

    [Fact]
    public void A_file_written_again_is_decompressed_again()
    {
        byte[] whole = File.ReadAllBytes(Plain);
        using var gz = new TempCapture(Gzip.Compress(whole));
        Assert.Equal(Frames(Plain).Count, Frames(gz.FilePath).Count);

        // The same capture cut after its 24-byte header and first record: shorter, so another file.
        int firstRecord = 24 + 16 + BitConverter.ToInt32(whole, 24 + 8);
        File.WriteAllBytes(gz.FilePath, Gzip.Compress(whole[..firstRecord]));
        Assert.Single(Frames(gz.FilePath));
    }
}
