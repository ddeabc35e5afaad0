namespace XmppSniff.Capture;

/// <summary>
/// One frame as stored in a capture: a view over the mapped file, valid until the next read.
/// </summary>
public readonly ref struct RawFrame
{
    public RawFrame(long number, long time, LinkType linkType, int interfaceId, int originalLength, ReadOnlySpan<byte> data)
    {
        Number = number;
        Time = time;
        LinkType = linkType;
        InterfaceId = interfaceId;
        OriginalLength = originalLength;
        Data = data;
    }

    /// <summary>1-based frame number.</summary>
    public long Number { get; }

    /// <summary>Nanoseconds since the Unix epoch.</summary>
    public long Time { get; }

    public LinkType LinkType { get; }

    public int InterfaceId { get; }

    /// <summary>Length on the wire; may exceed <see cref="Data"/> when the snap length cut the frame.</summary>
    public int OriginalLength { get; }

    public ReadOnlySpan<byte> Data { get; }
}
