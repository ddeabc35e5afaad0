using XmppSniff.Analysis.Flows;
using XmppSniff.Explore;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Tests;

/// <summary>Frames read again for the Packets view: straight from the offset in pcap, forward through the file in pcapng; both the bytes the loader saw.</summary>
public class FrameSourceTests
{
    private static CaptureModel Load(string path)
    {
        var model = new CaptureModel(Path.GetFileName(path));
        ModelLoader.Load(model, path, new FlowLimits(), showSecrets: false);
        return model;
    }

    [Theory]
    [InlineData("xmpp-prosody-slixmpp.pcap")]
    [InlineData("real/http_header-split-across-segments.ndpi.pcapng")]
    public void Every_frame_reads_back_with_its_indexed_length_in_any_order(string capture)
    {
        string path = Repo.Capture(capture);
        CaptureModel model = Load(path);
        using var source = new FileCaptureSource(path, new FlowLimits());
        int count = model.Frames.Count;
        Assert.True(count > 10);
        // Backwards first (the forward reader must start over), then forwards.
        foreach (int i in Enumerable.Range(0, count).Reverse().Concat(Enumerable.Range(0, count)))
        {
            FrameEntry entry = model.Frames[i];
            byte[]? data = source.ReadFrame(i + 1, entry);
            Assert.NotNull(data);
            Assert.Equal(entry.CapturedLength, data.Length);
        }
    }

    [Fact]
    public void Direct_and_forward_reads_give_the_same_bytes()
    {
        string path = Repo.Capture("tcp-reset.pcap");
        CaptureModel model = Load(path);
        using var source = new FileCaptureSource(path, new FlowLimits());
        for (int i = 0; i < model.Frames.Count; i++)
        {
            FrameEntry direct = model.Frames[i];
            FrameEntry noOffset = direct;
            noOffset.Offset = -1;
            Assert.Equal(source.ReadFrame(i + 1, direct), source.ReadFrame(i + 1, noOffset));
        }
    }
}
