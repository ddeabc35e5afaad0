using XmppSniff.Analysis.Flows;
using XmppSniff.Capture;
using XmppSniff.Core;
using XmppSniff.Running;
using XmppSniff.Tui.Model;

namespace XmppSniff.Explore;

/// <summary>
/// Writes what a <see cref="CaptureRun"/> sees into the TUI's model: frames as read, flows as they
/// start and end, and which flow each packet went to (looked up by key, as the flow table keys it,
/// so the engine itself is not touched).
/// </summary>
internal sealed class ModelFeeder(CaptureModel model) : IFlowListener, IPacketObserver
{
    private readonly Dictionary<FlowKey, int> _flowIds = [];

    public void FlowStarted(Flow flow)
    {
        _flowIds[flow.Key] = (int)flow.Id;
        model.FlowStarted(flow.Id, flow.Protocol, flow.Client, flow.Server, flow.Start);
    }

    public void FlowEnded(Flow flow, FlowRecord record)
    {
        if (_flowIds.TryGetValue(flow.Key, out int id) && id == flow.Id) _flowIds.Remove(flow.Key);
        model.FlowEnded(record);
    }

    public void OnFrame(in RawFrame frame, long offset, long position, long length)
    {
        model.AddFrame(frame.Time, offset, frame.Data.Length, frame.OriginalLength, (ushort)frame.LinkType);
        model.Position = position;
        model.Length = length;
        if ((frame.Number & 0x3FFF) == 0) model.Changed();
    }

    public void OnPacket(ref Packet packet)
    {
        var key = FlowKey.For(packet.Source, packet.Destination, packet.Protocol, out bool fromLow);
        int id = _flowIds.TryGetValue(key, out int found) ? found : 0;
        model.AddPacket(packet.Number, packet.Time, id, fromLow, packet.Protocol == IpProtocol.Udp, packet.Flags, packet.Sequence, packet.PayloadLength, packet.FrameLength);
    }
}
