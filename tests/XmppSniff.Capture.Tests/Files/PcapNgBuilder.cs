using System.Buffers.Binary;
using System.Text;

namespace XmppSniff.Capture.Tests.Files;

/// <summary>
/// Hand-built pcapng for tests, in either byte order, with the blocks PcapNgWriter never writes
/// (SPB, obsolete PB, DSB, odd resolutions, several sections). Deliberately independent of the
/// production writer so the two cannot share a mistake.
/// </summary>
internal sealed class PcapNgBuilder
{
    private readonly MemoryStream _out = new();
    private bool _bigEndian;

    public byte[] ToArray() => _out.ToArray();

    public PcapNgBuilder Section(bool bigEndian = false, string? comment = null, long sectionLength = -1)
    {
        _bigEndian = bigEndian;
        var body = new List<byte>();
        body.AddRange(U32(0x1A2B3C4D));
        body.AddRange(U16(1));
        body.AddRange(U16(0));
        body.AddRange(U64((ulong)sectionLength));
        body.AddRange(Options((1, comment)));
        return Block(0x0A0D0D0A, body);
    }

    public PcapNgBuilder Interface(ushort linkType, uint snapLength = 65535, byte? tsresol = null, long? tsoffset = null, string? name = null, string? description = null, string? comment = null)
    {
        var body = new List<byte>();
        body.AddRange(U16(linkType));
        body.AddRange(U16(0));
        body.AddRange(U32(snapLength));
        body.AddRange(Options(
            (2, name),
            (3, description),
            (1, comment),
            (9, tsresol is byte r ? new[] { r } : null),
            (14, tsoffset is long o ? U64((ulong)o) : null)));
        return Block(1, body);
    }

    public PcapNgBuilder Enhanced(uint interfaceId, ulong ticks, byte[] data, uint? originalLength = null, string? comment = null)
    {
        var body = new List<byte>();
        body.AddRange(U32(interfaceId));
        body.AddRange(U32((uint)(ticks >> 32)));
        body.AddRange(U32((uint)ticks));
        body.AddRange(U32((uint)data.Length));
        body.AddRange(U32(originalLength ?? (uint)data.Length));
        body.AddRange(Padded(data));
        body.AddRange(Options((1, comment)));
        return Block(6, body);
    }

    public PcapNgBuilder Obsolete(ushort interfaceId, ulong ticks, byte[] data)
    {
        var body = new List<byte>();
        body.AddRange(U16(interfaceId));
        body.AddRange(U16(0)); // drops
        body.AddRange(U32((uint)(ticks >> 32)));
        body.AddRange(U32((uint)ticks));
        body.AddRange(U32((uint)data.Length));
        body.AddRange(U32((uint)data.Length));
        body.AddRange(Padded(data));
        return Block(2, body);
    }

    public PcapNgBuilder Simple(uint originalLength, byte[] data)
    {
        var body = new List<byte>();
        body.AddRange(U32(originalLength));
        body.AddRange(Padded(data));
        return Block(3, body);
    }

    public PcapNgBuilder Secrets(uint type, byte[] data)
    {
        var body = new List<byte>();
        body.AddRange(U32(type));
        body.AddRange(U32((uint)data.Length));
        body.AddRange(Padded(data));
        return Block(0x0A, body);
    }

    public PcapNgBuilder Raw(uint type, byte[] body) => Block(type, [.. body]);

    /// <summary>Appends bytes as they are, for damage.</summary>
    public PcapNgBuilder Bytes(params byte[] bytes)
    {
        _out.Write(bytes);
        return this;
    }

    private PcapNgBuilder Block(uint type, List<byte> body)
    {
        uint length = (uint)(12 + ((body.Count + 3) & ~3));
        _out.Write(U32(type));
        _out.Write(U32(length));
        _out.Write(Padded([.. body]));
        _out.Write(U32(length));
        return this;
    }

    private byte[] Options(params (ushort Code, object? Value)[] options)
    {
        var bytes = new List<byte>();
        foreach (var (code, value) in options)
        {
            byte[]? raw = value switch
            {
                string s => Encoding.UTF8.GetBytes(s),
                byte[] b => b,
                _ => null,
            };
            if (raw == null)
            {
                continue;
            }

            bytes.AddRange(U16(code));
            bytes.AddRange(U16((ushort)raw.Length));
            bytes.AddRange(Padded(raw));
        }

        if (bytes.Count > 0)
        {
            bytes.AddRange(new byte[4]); // opt_endofopt
        }

        return [.. bytes];
    }

    private static byte[] Padded(byte[] data)
    {
        var padded = new byte[(data.Length + 3) & ~3];
        data.CopyTo(padded, 0);
        return padded;
    }

    private byte[] U16(ushort value)
    {
        var b = new byte[2];
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, value); else BinaryPrimitives.WriteUInt16LittleEndian(b, value);
        return b;
    }

    private byte[] U32(uint value)
    {
        var b = new byte[4];
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, value); else BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return b;
    }

    private byte[] U64(ulong value)
    {
        var b = new byte[8];
        if (_bigEndian) BinaryPrimitives.WriteUInt64BigEndian(b, value); else BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return b;
    }
}
