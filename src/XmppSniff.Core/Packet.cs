namespace XmppSniff.Core;

/// <summary>
/// One decoded TCP segment or UDP datagram, as views over the frame's bytes.
/// Valid only until the next packet is read: nothing here is copied.
/// </summary>
public ref struct Packet
{
    /// <summary>1-based frame number in the capture.</summary>
    public long Number;

    /// <summary>Capture time in nanoseconds since the Unix epoch.</summary>
    public long Time;

    public Endpoint Source;
    public Endpoint Destination;
    public IpProtocol Protocol;

    // TCP only.
    public uint Sequence;
    public uint Acknowledgment;
    public TcpFlags Flags;
    public ushort Window;

    /// <summary>Transport payload actually captured.</summary>
    public ReadOnlySpan<byte> Payload;

    /// <summary>Payload length the headers claim; larger than <see cref="Payload"/> when the snap length cut it.</summary>
    public int PayloadLength;

    /// <summary>Length of the whole frame on the wire.</summary>
    public int FrameLength;

    /// <summary>
    /// The reassembler's fingerprint of <see cref="Payload"/> when the reading thread computed it, 0 when not
    /// (the flow table then computes it where it needs it).
    /// </summary>
    public ulong PayloadFingerprint;
}
