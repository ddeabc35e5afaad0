using System.Buffers.Binary;

namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>Counts RFC 6455 frames in one direction of an upgraded connection; payloads are skipped, never kept.</summary>
internal sealed class WebSocketFrameCounter
{
    private long _payloadLeft;

    public long Frames { get; private set; }

    /// <summary>Bytes consumed, or -1 when a frame header is cut and more bytes are needed.</summary>
    public int Consume(ReadOnlySpan<byte> data)
    {
        if (_payloadLeft > 0)
        {
            int skip = (int)Math.Min(_payloadLeft, data.Length);
            _payloadLeft -= skip;
            return skip;
        }
        if (data.Length < 2) return -1;
        int length7 = data[1] & 0x7F;
        int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((data[1] & 0x80) != 0 ? 4 : 0);
        if (data.Length < header) return -1;
        _payloadLeft = length7 switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
            127 => (long)(BinaryPrimitives.ReadUInt64BigEndian(data[2..]) & long.MaxValue),
            _ => length7,
        };
        Frames++;
        return header;
    }
}
