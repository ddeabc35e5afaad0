using System.Buffers.Binary;

namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>
/// Reads RFC 6455 frames in one direction of an upgraded connection: counts them and gives the payload of text
/// messages, unmasked, piece by piece as it arrives (what XMPP over WebSocket, RFC 7395, carries). Binary messages
/// and control frames are skipped; nothing is kept but the piece in hand.
/// </summary>
internal sealed class WebSocketReader
{
    private const int MaxPiece = 16 << 10;

    private long _payloadLeft;
    private bool _frameIsText;
    private bool _messageIsText;
    private uint _mask;
    private int _maskAt;
    private byte[]? _unmasked;

    public long Frames { get; private set; }

    /// <summary>
    /// Reads a frame header or payload bytes at the front of <paramref name="data"/>; returns the bytes consumed, or -1
    /// when a frame header is cut and more bytes are needed. <paramref name="text"/> is the text payload among them
    /// (unmasked; valid until the next call), else empty.
    /// </summary>
    public int Consume(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (_payloadLeft > 0)
        {
            int take = (int)Math.Min(Math.Min(_payloadLeft, data.Length), MaxPiece);
            if (_frameIsText) text = _mask == 0 ? data[..take] : Unmask(data[..take]);
            _payloadLeft -= take;
            return take;
        }
        if (data.Length < 2) return -1;
        bool masked = (data[1] & 0x80) != 0;
        int length7 = data[1] & 0x7F;
        int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (data.Length < header) return -1;
        _payloadLeft = length7 switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
            127 => (long)(BinaryPrimitives.ReadUInt64BigEndian(data[2..]) & long.MaxValue),
            _ => length7,
        };
        _mask = masked ? BinaryPrimitives.ReadUInt32BigEndian(data[(header - 4)..]) : 0;
        _maskAt = 0;
        // A text (1) or binary (2) frame starts a message, continuations (0) go on with it; control frames (8 and up) come between.
        int opcode = data[0] & 0x0F;
        if (opcode is 1 or 2) _messageIsText = opcode == 1;
        _frameIsText = opcode is 0 or 1 && _messageIsText;
        Frames++;
        return header;
    }

    /// <summary>The piece XORed with the frame's key, going on from where the frame's last piece left it.</summary>
    private ReadOnlySpan<byte> Unmask(ReadOnlySpan<byte> piece)
    {
        Span<byte> into = (_unmasked ??= new byte[MaxPiece]).AsSpan(0, piece.Length);
        for (int i = 0; i < piece.Length; i++, _maskAt = (_maskAt + 1) & 3)
            into[i] = (byte)(piece[i] ^ (byte)(_mask >> (24 - 8 * _maskAt)));
        return into;
    }
}
