using System.Buffers.Binary;

namespace XmppSniff.Capture.Files;

/// <summary>Writes a classic little-endian pcap file (µs or ns timestamps) with one link type.</summary>
public sealed class PcapWriter
{
    private readonly Stream _stream;
    private readonly bool _nanoseconds;
    private readonly int _snapLength;

    public PcapWriter(Stream stream, LinkType linkType, int snapLength = 262144, bool nanoseconds = false)
    {
        _stream = stream;
        _nanoseconds = nanoseconds;
        _snapLength = snapLength;
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, nanoseconds ? 0xA1B23C4Du : 0xA1B2C3D4u);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0); // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)linkType);
        _stream.Write(header);
    }

    /// <summary>
    /// Writes one record; <paramref name="time"/> is ns since the epoch (cut to µs in a µs file).
    /// Data beyond the snap length is cut, as a capturing tool would.
    /// </summary>
    public void Write(long time, ReadOnlySpan<byte> data, int originalLength = -1)
    {
        if (data.Length > _snapLength)
        {
            data = data[.._snapLength];
        }

        long seconds = Math.DivRem(time, 1_000_000_000L, out long fraction);
        Span<byte> header = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)(_nanoseconds ? fraction : fraction / 1000));
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], originalLength < 0 ? data.Length : originalLength);
        _stream.Write(header);
        _stream.Write(data);
    }
}
