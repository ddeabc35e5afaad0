using XmppSniff.Capture;
using XmppSniff.Capture.Files;

namespace XmppSniff.Benchmarks;

/// <summary>The frames of the committed benchmark seed (loopback echo traffic), loaded once into memory.</summary>
internal static class SampleFrames
{
    public static readonly (long Time, byte[] Data)[] Echo = Load();

    private static (long, byte[])[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "seed-echo.pcap");
        using ICaptureReader reader = CaptureFile.Open(path);
        var frames = new List<(long, byte[])>();
        while (reader.TryRead(out RawFrame frame)) frames.Add((frame.Time, frame.Data.ToArray()));
        return frames.ToArray();
    }
}
