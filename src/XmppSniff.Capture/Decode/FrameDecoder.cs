using XmppSniff.Core;

namespace XmppSniff.Capture.Decode;

/// <summary>
/// Turns a raw frame into a <see cref="Packet"/>: link layer, IPv4/IPv6, TCP/UDP, with IPv4
/// fragments reassembled. Stateful only for fragments. Never throws on bad bytes.
/// </summary>
public sealed class FrameDecoder
{
    public DecodeCounters Counters { get; } = new();

    public DecodeStatus Decode(in RawFrame frame, out Packet packet)
    {
        throw new NotImplementedException();
    }
}
