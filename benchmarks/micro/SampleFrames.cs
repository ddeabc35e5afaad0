using XmppSniff.Analysis.Flows;
using XmppSniff.Capture;
using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Files;
using XmppSniff.Core;

namespace XmppSniff.Benchmarks;

/// <summary>The frames of the committed benchmark seeds, loaded once into memory.</summary>
internal static class SampleFrames
{
    /// <summary>Loopback echo traffic (the flows benchmark's seed).</summary>
    public static readonly (long Time, byte[] Data)[] Echo = Load("seed-echo.pcap");

    /// <summary>Two XMPP sessions of prosody and slixmpp (the stanzas benchmark's seed, captures/xmpp-prosody-slixmpp.pcap).</summary>
    public static readonly (long Time, byte[] Data)[] Xmpp = Load("xmpp-prosody-slixmpp.pcap");

    /// <summary>Decodes <paramref name="frames"/> into <paramref name="table"/>, then ends its flows.</summary>
    public static void Track((long Time, byte[] Data)[] frames, FrameDecoder decoder, FlowTable table)
    {
        foreach (var (time, data) in frames)
        {
            var frame = new RawFrame(1, time, LinkType.Ethernet, 0, data.Length, data);
            if (decoder.Decode(frame, out Packet packet) == DecodeStatus.Transport) table.Process(ref packet);
        }
        table.Flush();
    }

    private static (long, byte[])[] Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, name);
        using ICaptureReader reader = CaptureFile.Open(path);
        var frames = new List<(long, byte[])>();
        while (reader.TryRead(out RawFrame frame)) frames.Add((frame.Time, frame.Data.ToArray()));
        return frames.ToArray();
    }
}
