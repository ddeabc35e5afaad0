using System.Buffers.Binary;
using System.Text;

namespace XmppSniff.Capture.Files;

/// <summary>
/// pcapng files: sections (each with its own byte order and interface table), interfaces with
/// their own link type and timestamp resolution, and packet blocks (EPB, SPB, obsolete PB).
/// Comments and decryption secrets, which libpcap hides, are kept.
/// </summary>
public sealed class PcapNgReader : CaptureReaderBase
{
    internal const uint SectionHeaderType = 0x0A0D0D0A;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const uint InterfaceType = 1;
    private const uint ObsoletePacketType = 2;
    private const uint SimplePacketType = 3;
    private const uint EnhancedPacketType = 6;
    private const uint DecryptionSecretsType = 0x0A;

    private const ushort OptEndOfOptions = 0;
    private const ushort OptComment = 1;
    private const ushort OptIfName = 2;
    private const ushort OptIfDescription = 3;
    private const ushort OptIfTsResol = 9;
    private const ushort OptIfTsOffset = 14;

    /// <summary>Smallest block: type, length, trailing length.</summary>
    private const int MinBlock = 12;

    /// <summary>Smallest SHB: 12 bytes of framing plus magic, version and section length.</summary>
    private const int MinSectionHeader = 28;

    /// <summary>
    /// A block longer than this that runs past the end is damage, not a file cut short while
    /// being written (real packets stay far below; the pcap reader uses the same ceiling).
    /// </summary>
    private const uint MaxPlausibleBlock = 64 * 1024 * 1024 + 4096;

    private readonly List<PcapNgInterface> _section = [];
    private readonly List<CaptureInterface> _interfaces = [];
    private readonly List<(uint Type, byte[] Data)> _secrets = [];
    private bool _bigEndian;
    private long _frames;
    private long _lastTime;

    private PcapNgReader(string path, MappedFile file) : base(path, file)
    {
    }

    public override CaptureFormat Format => CaptureFormat.PcapNg;

    /// <summary>
    /// Interfaces of every section, in file order: those before the first packet are known after
    /// Open, later ones (new sections, late IDBs) are added as reading reaches them.
    /// </summary>
    public override IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    /// <summary>Decryption Secrets Blocks read so far: secrets type (e.g. 0x544c534b, TLS key log) and payload.</summary>
    public IReadOnlyList<(uint Type, byte[] Data)> DecryptionSecrets => _secrets;

    /// <summary>Byte order of the current section.</summary>
    public bool BigEndian => _bigEndian;

    /// <summary>Called by <see cref="CaptureFile"/> once the magic says pcapng; a broken first SHB refuses the file.</summary>
    internal static PcapNgReader Open(string path, MappedFile file)
    {
        var reader = new PcapNgReader(path, file);
        string? problem = reader.ReadSectionHeader(0);
        if (problem != null)
        {
            throw new CaptureFileException(path, problem);
        }

        reader.Advance(emit: false, out _);
        return reader;
    }

    public override bool TryRead(out RawFrame frame) => Advance(emit: true, out frame);

    /// <summary>
    /// Reads blocks until a packet block. With <paramref name="emit"/> false it stops in front of
    /// it instead, which Open uses so the leading interfaces are known before the first read.
    /// </summary>
    private bool Advance(bool emit, out RawFrame frame)
    {
        frame = default;
        while (!Finished)
        {
            long offset = Position;
            long remaining = File.Length - offset;
            if (remaining == 0)
            {
                Finished = true;
                return false;
            }

            if (remaining < 8)
            {
                Stop(truncated: true, $"file is truncated in the middle of a block at offset {offset}");
                return false;
            }

            uint type = ReadU32(offset);
            if (type == SectionHeaderType)
            {
                // The new section's byte order governs its own length field, so it is read first.
                string? problem = ReadSectionHeader(offset);
                if (problem != null)
                {
                    Stop(Truncated, problem);
                    return false;
                }

                continue;
            }

            uint length = ReadU32(offset + 4);
            if (length < MinBlock || (length & 3) != 0)
            {
                Stop(truncated: false, $"block at offset {offset} has a bad length of {length} bytes; stopped reading there");
                return false;
            }

            if (length > remaining)
            {
                if (length <= MaxPlausibleBlock)
                {
                    string what = IsPacketBlock(type) ? $"packet {_frames + 1}" : $"a block at offset {offset}";
                    Stop(truncated: true, $"file is truncated in the middle of {what}");
                }
                else
                {
                    Stop(truncated: false, $"block at offset {offset} claims {length} bytes, past the end of the file; stopped reading there");
                }

                return false;
            }

            uint trailing = ReadU32(offset + length - 4);
            if (trailing != length)
            {
                Stop(truncated: false, $"block at offset {offset} ends with length {trailing} instead of {length}; stopped reading there");
                return false;
            }

            if (!emit && IsPacketBlock(type))
            {
                return false;
            }

            Position = offset + length;
            long body = offset + 8;
            int bodyLength = (int)length - MinBlock;
            switch (type)
            {
                case EnhancedPacketType:
                    if (ReadEnhancedPacket(offset, body, bodyLength, out frame))
                    {
                        return true;
                    }

                    break;
                case SimplePacketType:
                    if (ReadSimplePacket(offset, body, bodyLength, out frame))
                    {
                        return true;
                    }

                    break;
                case ObsoletePacketType:
                    if (ReadObsoletePacket(offset, body, bodyLength, out frame))
                    {
                        return true;
                    }

                    break;
                case InterfaceType:
                    ReadInterface(offset, body, bodyLength);
                    break;
                case DecryptionSecretsType:
                    ReadDecryptionSecrets(offset, body, bodyLength);
                    break;
                default:
                    // NRB, ISB, custom and unknown blocks carry nothing a frame needs.
                    break;
            }
        }

        return false;
    }

    private static bool IsPacketBlock(uint type) =>
        type is EnhancedPacketType or SimplePacketType or ObsoletePacketType;

    /// <summary>EPB: interface id, 64-bit timestamp, captured and original length, data, options.</summary>
    private bool ReadEnhancedPacket(long offset, long body, int bodyLength, out RawFrame frame)
    {
        frame = default;
        if (bodyLength < 20)
        {
            Warn($"enhanced packet block at offset {offset} is too short; skipped");
            return false;
        }

        uint interfaceId = ReadU32(body);
        ulong ticks = ((ulong)ReadU32(body + 4) << 32) | ReadU32(body + 8);
        uint captured = ReadU32(body + 12);
        uint original = ReadU32(body + 16);
        return EmitPacket(offset, "enhanced", body + 20, bodyLength - 20, interfaceId, ticks, captured, original, out frame);
    }

    /// <summary>The pre-EPB packet block: same fields, but a 16-bit interface id and a drops counter.</summary>
    private bool ReadObsoletePacket(long offset, long body, int bodyLength, out RawFrame frame)
    {
        frame = default;
        if (bodyLength < 20)
        {
            Warn($"packet block at offset {offset} is too short; skipped");
            return false;
        }

        uint interfaceId = ReadU16(body);
        ulong ticks = ((ulong)ReadU32(body + 4) << 32) | ReadU32(body + 8);
        uint captured = ReadU32(body + 12);
        uint original = ReadU32(body + 16);
        return EmitPacket(offset, "packet", body + 20, bodyLength - 20, interfaceId, ticks, captured, original, out frame);
    }

    private bool EmitPacket(long offset, string kind, long data, int room, uint interfaceId, ulong ticks, uint captured, uint original, out RawFrame frame)
    {
        frame = default;
        if (interfaceId >= (uint)_section.Count)
        {
            Warn($"{kind} packet block at offset {offset} names interface {interfaceId}, which is not defined; skipped");
            return false;
        }

        if (captured > (uint)room)
        {
            Warn($"{kind} packet block at offset {offset} claims {captured} captured bytes but holds {room}; skipped");
            return false;
        }

        PcapNgInterface face = _section[(int)interfaceId];
        _frames++;
        long time = face.Scale.ToNanoseconds(ticks);
        _lastTime = time;

        // Options follow the data padded to 4 bytes; only comments interest us.
        long options = data + ((captured + 3) & ~3u);
        long end = data + room;
        if (options < end)
        {
            ReadFrameComments(options, end);
        }

        int originalLength = (int)Math.Min(Math.Max(original, captured), int.MaxValue);
        frame = new RawFrame(_frames, time, face.LinkType, face.Index, originalLength, File.Span(data, (int)captured));
        return true;
    }

    /// <summary>
    /// SPB: original length and data only, always interface 0. It has no timestamp, so it takes
    /// the previous frame's time rather than jumping back to 1970.
    /// </summary>
    private bool ReadSimplePacket(long offset, long body, int bodyLength, out RawFrame frame)
    {
        frame = default;
        if (bodyLength < 4 || _section.Count == 0)
        {
            Warn($"simple packet block at offset {offset} is too short or has no interface; skipped");
            return false;
        }

        PcapNgInterface face = _section[0];
        uint original = ReadU32(body);
        uint captured = Math.Min(original, (uint)(bodyLength - 4));
        if (face.SnapLength != 0)
        {
            captured = Math.Min(captured, face.SnapLength);
        }

        _frames++;
        int originalLength = (int)Math.Min(original, int.MaxValue);
        frame = new RawFrame(_frames, _lastTime, face.LinkType, face.Index, originalLength, File.Span(body + 4, (int)captured));
        return true;
    }

    private void ReadInterface(long offset, long body, int bodyLength)
    {
        if (bodyLength < 8)
        {
            Warn($"interface description block at offset {offset} is too short; skipped");
            return;
        }

        var linkType = (LinkType)ReadU16(body);
        uint snapLength = ReadU32(body + 4);
        string? name = null;
        string? description = null;
        byte tsresol = 6;
        long tsoffset = 0;
        int index = _interfaces.Count;

        long position = body + 8;
        long end = body + bodyLength;
        while (NextOption(ref position, end, out ushort code, out long value, out int valueLength))
        {
            switch (code)
            {
                case OptComment:
                    AddComment($"interface {index}: {ReadString(value, valueLength)}");
                    break;
                case OptIfName:
                    name = ReadString(value, valueLength);
                    break;
                case OptIfDescription:
                    description = ReadString(value, valueLength);
                    break;
                case OptIfTsResol when valueLength >= 1:
                    tsresol = File.Span(value, 1)[0];
                    break;
                case OptIfTsOffset when valueLength >= 8:
                    tsoffset = (long)ReadU64(value);
                    break;
            }
        }

        _section.Add(new PcapNgInterface(linkType, snapLength, TimestampScale.FromOption(tsresol, tsoffset), index));
        _interfaces.Add(new CaptureInterface(linkType, (int)Math.Min(snapLength, int.MaxValue), name, description));
    }

    private void ReadDecryptionSecrets(long offset, long body, int bodyLength)
    {
        uint secretsLength = bodyLength >= 8 ? ReadU32(body + 4) : uint.MaxValue;
        if (secretsLength > (uint)(bodyLength - 8))
        {
            Warn($"decryption secrets block at offset {offset} is damaged; skipped");
            return;
        }

        _secrets.Add((ReadU32(body), File.Span(body + 8, (int)secretsLength).ToArray()));
    }

    /// <summary>
    /// Reads the SHB at <paramref name="offset"/>: byte order, length, version, comments. Starts a
    /// new interface table. Returns the problem, or null; the caller decides whether it is fatal.
    /// </summary>
    private string? ReadSectionHeader(long offset)
    {
        long remaining = File.Length - offset;
        if (remaining < 12)
        {
            Truncated = offset > 0;
            return "pcapng section header is cut short";
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(File.Span(offset + 8, 4));
        if (magic == ByteOrderMagic)
        {
            _bigEndian = false;
        }
        else if (magic == BinaryPrimitives.ReverseEndianness(ByteOrderMagic))
        {
            _bigEndian = true;
        }
        else
        {
            return $"pcapng section header at offset {offset} has a bad byte-order magic 0x{magic:x8}";
        }

        uint length = ReadU32(offset + 4);
        if (length < MinSectionHeader || (length & 3) != 0)
        {
            return $"pcapng section header at offset {offset} has a bad length of {length} bytes";
        }

        if (length > remaining)
        {
            Truncated = offset > 0 && length <= MaxPlausibleBlock;
            return $"pcapng section header at offset {offset} is cut short ({remaining} of {length} bytes)";
        }

        if (ReadU32(offset + length - 4) != length)
        {
            return $"pcapng section header at offset {offset} ends with a length that does not match";
        }

        ushort major = ReadU16(offset + 12);
        if (major != 1)
        {
            return $"pcapng section header at offset {offset} has unsupported version {major}.{ReadU16(offset + 14)}";
        }

        _section.Clear();
        long position = offset + MinSectionHeader - 4;
        long end = offset + length - 4;
        while (NextOption(ref position, end, out ushort code, out long value, out int valueLength))
        {
            if (code == OptComment)
            {
                AddComment(ReadString(value, valueLength));
            }
        }

        Position = offset + length;
        return null;
    }

    /// <summary>Packet options; allocates only when a comment is actually there.</summary>
    private void ReadFrameComments(long position, long end)
    {
        while (NextOption(ref position, end, out ushort code, out long value, out int valueLength))
        {
            if (code == OptComment)
            {
                AddComment($"frame {_frames}: {ReadString(value, valueLength)}");
            }
        }
    }

    /// <summary>Steps over one option (code, length, value padded to 4); false at the end marker or when it would overrun.</summary>
    private bool NextOption(ref long position, long end, out ushort code, out long value, out int valueLength)
    {
        code = 0;
        value = 0;
        valueLength = 0;
        if (end - position < 4)
        {
            return false;
        }

        code = ReadU16(position);
        valueLength = ReadU16(position + 2);
        if (code == OptEndOfOptions || valueLength > end - position - 4)
        {
            return false;
        }

        value = position + 4;
        position = value + ((valueLength + 3) & ~3);
        return true;
    }

    private string ReadString(long offset, int length) =>
        Encoding.UTF8.GetString(File.Span(offset, length)).TrimEnd('\0');

    private void Stop(bool truncated, string warning)
    {
        Truncated |= truncated;
        Warn(warning);
        Finished = true;
    }

    private ushort ReadU16(long offset)
    {
        ReadOnlySpan<byte> bytes = File.Span(offset, 2);
        return _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);
    }

    private uint ReadU32(long offset)
    {
        ReadOnlySpan<byte> bytes = File.Span(offset, 4);
        return _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    private ulong ReadU64(long offset)
    {
        ReadOnlySpan<byte> bytes = File.Span(offset, 8);
        return _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }
}
