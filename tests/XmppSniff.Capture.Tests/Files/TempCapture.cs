using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

/// <summary>A capture written to a temporary file (readers map files, not streams); deleted on dispose.</summary>
internal sealed class TempCapture : IDisposable
{
    public TempCapture(byte[] bytes)
    {
        FilePath = Path.Combine(Path.GetTempPath(), $"xmppsniff-test-{Guid.NewGuid():N}.pcap");
        File.WriteAllBytes(FilePath, bytes);
    }

    public string FilePath { get; }

    public ICaptureReader Open() => CaptureFile.Open(FilePath);

    public void Dispose() => File.Delete(FilePath);
}

/// <summary>A frame copied out of the mapping so tests can look at it after the next read.</summary>
internal sealed record FrameCopy(long Number, long Time, LinkType LinkType, int InterfaceId, int OriginalLength, byte[] Data);

internal static class ReaderExtensions
{
    public static List<FrameCopy> ReadAll(this ICaptureReader reader)
    {
        var frames = new List<FrameCopy>();
        while (reader.TryRead(out RawFrame frame))
        {
            frames.Add(new FrameCopy(frame.Number, frame.Time, frame.LinkType, frame.InterfaceId, frame.OriginalLength, frame.Data.ToArray()));
        }

        // Once at the end, it stays at the end.
        Assert.False(reader.TryRead(out _));
        return frames;
    }

    public static List<FrameCopy> ReadAll(byte[] file, out ICaptureReader reader)
    {
        using var temp = new TempCapture(file);
        reader = temp.Open();
        try
        {
            return reader.ReadAll();
        }
        finally
        {
            reader.Dispose();
        }
    }
}
