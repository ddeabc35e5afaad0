using XmppSniff.Core;

namespace XmppSniff.Tui.Model;

/// <summary>
/// What the Packets view and the ladder keep per frame: a few numbers, no bytes and no objects, so
/// a million frames cost tens of megabytes. The bytes are read again on demand
/// (<see cref="ICaptureSource.ReadFrame"/>).
/// </summary>
public struct FrameEntry
{
    /// <summary>Capture time, nanoseconds since the Unix epoch.</summary>
    public long Time;

    /// <summary>Where the frame's record starts in the file (or a block before it); -1 when there is no file.</summary>
    public long Offset;

    public int CapturedLength;
    public int WireLength;

    /// <summary>The flow the engine put the packet in; 0 for frames that are not TCP or UDP.</summary>
    public int FlowId;

    public int PayloadLength;
    public uint Sequence;
    public ushort LinkType;
    public TcpFlags Flags;
    private byte _bits;

    /// <summary>The sender is the lower endpoint of the flow key: a direction that survives a role flip.</summary>
    public bool FromLow
    {
        readonly get => (_bits & 1) != 0;
        set => _bits = (byte)(value ? _bits | 1 : _bits & ~1);
    }

    public bool IsUdp
    {
        readonly get => (_bits & 2) != 0;
        set => _bits = (byte)(value ? _bits | 2 : _bits & ~2);
    }
}
