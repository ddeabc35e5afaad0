using System.Buffers.Binary;
using System.Text;

namespace XmppSniff.Capture.Files;

/// <summary>
/// Writes little-endian pcapng: one SHB, one IDB per distinct (link type, snap length) as it is
/// first used, and EPBs with nanosecond timestamps (if_tsresol = 9), so frames of several link
/// types can share one file.
/// </summary>
public sealed class PcapNgWriter
{
    private const byte NanosecondResolution = 9;

    private readonly Stream _stream;
    private readonly Dictionary<(LinkType, int), int> _interfaces = [];
    private byte[] _buffer = new byte[4096];

    public PcapNgWriter(Stream stream, string? comment = null)
    {
        _stream = stream;
        int length = 28 + OptionsLength(comment);
        Span<byte> block = Block(length);
        BinaryPrimitives.WriteUInt32LittleEndian(block, PcapNgReader.SectionHeaderType);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], 0x1A2B3C4D);
        BinaryPrimitives.WriteUInt16LittleEndian(block[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(block[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(block[16..], -1); // section length unknown
        WriteCommentOption(block[24..], comment);
        Flush(block);
    }

    /// <summary>Writes one EPB; <paramref name="time"/> is ns since the epoch. Returns the interface id used.</summary>
    public int Write(LinkType linkType, long time, ReadOnlySpan<byte> data, int originalLength = -1, int snapLength = 262144, string? comment = null)
    {
        int interfaceId = InterfaceFor(linkType, snapLength);
        int padded = (data.Length + 3) & ~3;
        int length = 32 + padded + OptionsLength(comment);
        Span<byte> block = Block(length);
        BinaryPrimitives.WriteUInt32LittleEndian(block, 6);
        BinaryPrimitives.WriteInt32LittleEndian(block[8..], interfaceId);
        ulong ticks = (ulong)time;
        BinaryPrimitives.WriteUInt32LittleEndian(block[12..], (uint)(ticks >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(block[16..], (uint)ticks);
        BinaryPrimitives.WriteInt32LittleEndian(block[20..], data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(block[24..], originalLength < 0 ? data.Length : originalLength);
        data.CopyTo(block[28..]);
        WriteCommentOption(block[(28 + padded)..], comment);
        Flush(block);
        return interfaceId;
    }

    /// <summary>Secrets type of a Decryption Secrets Block holding an NSS key log ("TLSK").</summary>
    public const uint TlsKeyLogSecrets = 0x544c534b;

    /// <summary>
    /// Writes a Decryption Secrets Block (e.g. <see cref="TlsKeyLogSecrets"/> with key log text), as
    /// editcap --inject-secrets does; readers use it for the packets that follow.
    /// </summary>
    public void WriteDecryptionSecrets(uint secretsType, ReadOnlySpan<byte> secrets)
    {
        int padded = (secrets.Length + 3) & ~3;
        Span<byte> block = Block(20 + padded);
        BinaryPrimitives.WriteUInt32LittleEndian(block, 0x0A);
        BinaryPrimitives.WriteUInt32LittleEndian(block[8..], secretsType);
        BinaryPrimitives.WriteInt32LittleEndian(block[12..], secrets.Length);
        secrets.CopyTo(block[16..]);
        Flush(block);
    }

    private int InterfaceFor(LinkType linkType, int snapLength)
    {
        if (_interfaces.TryGetValue((linkType, snapLength), out int id))
        {
            return id;
        }

        id = _interfaces.Count;
        _interfaces.Add((linkType, snapLength), id);
        // IDB: link type, reserved, snap length, if_tsresol option, end of options.
        Span<byte> block = Block(32);
        BinaryPrimitives.WriteUInt32LittleEndian(block, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(block[8..], (ushort)linkType);
        BinaryPrimitives.WriteInt32LittleEndian(block[12..], snapLength);
        BinaryPrimitives.WriteUInt16LittleEndian(block[16..], 9);
        BinaryPrimitives.WriteUInt16LittleEndian(block[18..], 1);
        block[20] = NanosecondResolution;
        Flush(block);
        return id;
    }

    /// <summary>A zeroed block of <paramref name="length"/> bytes with both length fields filled.</summary>
    private Span<byte> Block(int length)
    {
        if (_buffer.Length < length)
        {
            _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
        }

        Span<byte> block = _buffer.AsSpan(0, length);
        block.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(block[4..], length);
        BinaryPrimitives.WriteInt32LittleEndian(block[(length - 4)..], length);
        return block;
    }

    private void Flush(ReadOnlySpan<byte> block) => _stream.Write(block);

    /// <summary>opt_comment padded to 4, plus opt_endofopt; nothing at all without a comment.</summary>
    private static int OptionsLength(string? comment) =>
        comment == null ? 0 : 4 + ((Encoding.UTF8.GetByteCount(comment) + 3) & ~3) + 4;

    private static void WriteCommentOption(Span<byte> destination, string? comment)
    {
        if (comment == null)
        {
            return;
        }

        int count = Encoding.UTF8.GetBytes(comment, destination[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], (ushort)count);
    }
}
