using XmppSniff.Capture;
using XmppSniff.Capture.Files;

namespace XmppSniff.Benchmarks;

/// <summary>The frames of the committed benchmark seeds, loaded once into memory.</summary>
internal static class SampleFrames
{
    /// <summary>Loopback echo traffic (the flows benchmark's seed).</summary>
    public static readonly (long Time, byte[] Data)[] Echo = Load("seed-echo.pcap");

    /// <summary>Two XMPP sessions of prosody and slixmpp (the stanzas benchmark's seed, captures/xmpp-prosody-slixmpp.pcap).</summary>
    public static readonly (long Time, byte[] Data)[] Xmpp = Load("xmpp-prosody-slixmpp.pcap");

    private static (long, byte[])[] Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, name);
        using ICaptureReader reader = CaptureFile.Open(path);
        var frames = new List<(long, byte[])>();
        while (reader.TryRead(out RawFrame frame)) frames.Add((frame.Time, frame.Data.ToArray()));
        return frames.ToArray();
    }
}
