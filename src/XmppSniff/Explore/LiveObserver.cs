using XmppSniff.Capture;
using XmppSniff.Core;
using XmppSniff.Running;
using XmppSniff.Tui.Model;

namespace XmppSniff.Explore;

/// <summary>
/// The model feeder for a live capture: keeps recent frames' bytes for the Packets view, keeps the
/// model's frame numbers equal to the capture's (frames discarded while paused become empty
/// entries), and bounds the frames the model holds.
/// </summary>
internal sealed class LiveObserver(ModelFeeder feeder, CaptureModel model, RecentFrames recent, ModelBounds bounds) : IPacketObserver
{
    public void OnFrame(in RawFrame frame, long offset, long position, long length)
    {
        while (model.Frames.Count < frame.Number - 1) model.AddFrame(frame.Time, -1, 0, 0, 0);
        feeder.OnFrame(in frame, offset, position, length);
        recent.Add(frame.Number, frame.Data);
        if ((frame.Number & 0xFF) == 0) model.BoundFrames(bounds);
    }

    public void OnPacket(ref Packet packet) => feeder.OnPacket(ref packet);
}
