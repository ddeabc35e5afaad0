using XmppSniff.Capture;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// Watches a <see cref="CaptureRun"/> frame by frame, for a frame index (the TUI's Packets view and
/// ladders). <see cref="OnFrame"/> runs on the reading thread for every frame, before the frame's
/// packet reaches the flow table; <see cref="OnPacket"/> runs on the engine thread right after the
/// flow table processed a TCP or UDP packet (so the flow it went to has started).
/// </summary>
internal interface IPacketObserver
{
    /// <param name="offset">Where the reader stood before the frame: its record, or a block before it.</param>
    void OnFrame(in RawFrame frame, long offset, long position, long length);

    void OnPacket(ref Packet packet);
}
