using System.Buffers.Binary;

namespace XmppSniff.Capture.Files;

/// <summary>
/// Classic libpcap files: a 24-byte header, then records of a 16-byte header and the bytes.
/// Either byte order, microsecond or nanosecond timestamps.
/// </summary>
public sealed class PcapReader : CaptureReaderBase
{
    internal const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    /// <summary>
    /// Largest record we believe: Wireshark's 256 KiB ceiling, or the snap length when a file
    /// declares a larger one, but never past 64 MiB (a fuzzed snap length must not open the door).
    /// </summary>
    private const uint DefaultMaxRecord = 262_144;
    private const uint AbsoluteMaxRecord = 64 * 1024 * 1024;

    private readonly bool _bigEndian;
    private readonly long _fractionToNs;
    private readonly uint _maxRecord;
    private readonly LinkType _linkType;
    private readonly CaptureInterface[] _interfaces;
    private long _frames;

    private PcapReader(string path, MappedFile file, bool bigEndian, bool nanoseconds) : base(path, file)
    {
        _bigEndian = bigEndian;
        _fractionToNs = nanoseconds ? 1 : 1000;
        // thiszone (offset 8) is 0 in every real file: writers store UTC, so it is ignored.
        uint snapLength = ReadU32(16);
        // The upper 16 bits of "network" hold FCS information (LINKTYPE_FCS); the link type is the low half.
        _linkType = (LinkType)(ushort)ReadU32(20);
        _maxRecord = Math.Min(Math.Max(snapLength, DefaultMaxRecord), AbsoluteMaxRecord);
        _interfaces = [new CaptureInterface(_linkType, (int)Math.Min(snapLength, int.MaxValue), null, null)];
        Position = FileHeaderLength;
    }

    public override CaptureFormat Format => CaptureFormat.Pcap;

    public override IReadOnlyList<CaptureInterface> Interfaces => _interfaces;

    public bool Nanoseconds => _fractionToNs == 1;

    public bool BigEndian => _bigEndian;

    /// <summary>Called by <see cref="CaptureFile"/> once the magic says pcap; throws only for what makes the file unusable.</summary>
    internal static PcapReader Open(string path, MappedFile file, bool bigEndian, bool nanoseconds)
    {
        if (file.Length < FileHeaderLength)
        {
            throw new CaptureFileException(path, $"pcap file header is cut short ({file.Length} of {FileHeaderLength} bytes)");
        }

        var reader = new PcapReader(path, file, bigEndian, nanoseconds);
        // A first record with an absurd length means the header lies (or this is not pcap at all):
        // refuse the file instead of reporting zero frames.
        if (file.Length >= FileHeaderLength + RecordHeaderLength)
        {
            uint firstLength = reader.ReadU32(FileHeaderLength + 8);
            if (firstLength > reader._maxRecord && !reader.IsCutShort(FileHeaderLength, firstLength))
            {
                throw new CaptureFileException(path, $"record 1 claims an impossible length of {firstLength} bytes");
            }
        }

        return reader;
    }

    /// <summary>
    /// A record of a plausible size that runs past the end of the file: the file was cut short
    /// there (as tshark says), rather than the length being garbage.
    /// </summary>
    private bool IsCutShort(long recordOffset, uint included) =>
        included <= AbsoluteMaxRecord && included > File.Length - recordOffset - RecordHeaderLength;

    public override bool TryRead(out RawFrame frame)
    {
        frame = default;
        if (Finished)
        {
            return false;
        }

        long offset = Position;
        long remaining = File.Length - offset;
        if (remaining < RecordHeaderLength)
        {
            if (remaining > 0)
            {
                CutShort();
            }

            Finished = true;
            return false;
        }

        ReadOnlySpan<byte> header = File.Span(offset, RecordHeaderLength);
        uint seconds = U32(header);
        uint fraction = U32(header[4..]);
        uint included = U32(header[8..]);
        uint original = U32(header[12..]);

        if (included > _maxRecord && !IsCutShort(offset, included))
        {
            Warn($"record {_frames + 1} claims an impossible length of {included} bytes; stopped reading there");
            Finished = true;
            return false;
        }

        if (included > remaining - RecordHeaderLength)
        {
            CutShort();
            Finished = true;
            return false;
        }

        // Some writers store incl_len > orig_len; the bytes we have are what counts.
        int originalLength = (int)Math.Min(Math.Max(original, included), int.MaxValue);
        long time = seconds * 1_000_000_000L + fraction * _fractionToNs;
        _frames++;
        Position = offset + RecordHeaderLength + included;
        frame = new RawFrame(_frames, time, _linkType, 0, originalLength, File.Span(offset + RecordHeaderLength, (int)included));
        return true;
    }

    private void CutShort()
    {
        Truncated = true;
        Warn($"file is truncated in the middle of packet {_frames + 1}");
    }

    private uint ReadU32(long offset) => U32(File.Span(offset, 4));

    private uint U32(ReadOnlySpan<byte> bytes) =>
        _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
