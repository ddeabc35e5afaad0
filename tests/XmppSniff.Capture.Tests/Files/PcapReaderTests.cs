using System.Buffers.Binary;
using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

public class PcapReaderTests
{
    // 2024-05-06T07:08:09Z plus a fraction with digits below the microsecond.
    private const long Base = 1_714_979_289L * 1_000_000_000L;

    private static readonly byte[] A = [0x01, 0x02, 0x03, 0x04, 0x05];
    private static readonly byte[] B = [0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x00];

    private static byte[] Written(bool nanoseconds, LinkType linkType = LinkType.Ethernet, int snapLength = 262144)
    {
        var stream = new MemoryStream();
        var writer = new PcapWriter(stream, linkType, snapLength, nanoseconds);
        writer.Write(Base + 123_456_789, A);
        writer.Write(Base + 2_000_000_001, B, originalLength: 1500);
        return stream.ToArray();
    }

    [Fact]
    public void Microsecond_file_round_trips_with_times_cut_to_the_microsecond()
    {
        List<FrameCopy> frames = ReaderExtensions.ReadAll(Written(nanoseconds: false), out ICaptureReader reader);

        Assert.Equal(CaptureFormat.Pcap, reader.Format);
        Assert.Equal(2, frames.Count);
        Assert.Equal(Base + 123_456_000, frames[0].Time);
        Assert.Equal(Base + 2_000_000_000, frames[1].Time);
        Assert.Equal(A, frames[0].Data);
        Assert.Equal(B, frames[1].Data);
        Assert.Equal(5, frames[0].OriginalLength);
        Assert.Equal(1500, frames[1].OriginalLength);
        Assert.Equal([1L, 2L], frames.Select(f => f.Number));
        Assert.All(frames, f => Assert.Equal(LinkType.Ethernet, f.LinkType));
        Assert.False(reader.Truncated);
        Assert.Empty(reader.Warnings);
        Assert.Equal(reader.Length, reader.Position);
    }

    [Fact]
    public void Nanosecond_file_keeps_every_digit()
    {
        List<FrameCopy> frames = ReaderExtensions.ReadAll(Written(nanoseconds: true, LinkType.LinuxSll2), out ICaptureReader reader);

        Assert.Equal([Base + 123_456_789, Base + 2_000_000_001], frames.Select(f => f.Time));
        Assert.All(frames, f => Assert.Equal(LinkType.LinuxSll2, f.LinkType));
        Assert.Equal(LinkType.LinuxSll2, Assert.Single(reader.Interfaces).LinkType);
        Assert.Equal(262144, reader.Interfaces[0].SnapLength);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Big_endian_file_is_read_in_its_own_byte_order(bool nanoseconds)
    {
        byte[] file = BigEndianPcap(nanoseconds, linkType: 113, snapLength: 96,
            (Seconds: 1_000_000_000u, Fraction: 250_000u, Data: A, Original: 60u),
            (Seconds: 1_000_000_001u, Fraction: 999_999u, Data: B, Original: 7u));

        List<FrameCopy> frames = ReaderExtensions.ReadAll(file, out ICaptureReader reader);

        long unit = nanoseconds ? 1 : 1000;
        Assert.Equal([1_000_000_000L * 1_000_000_000 + 250_000 * unit, 1_000_000_001L * 1_000_000_000 + 999_999 * unit], frames.Select(f => f.Time));
        Assert.Equal(A, frames[0].Data);
        Assert.Equal(B, frames[1].Data);
        Assert.Equal(60, frames[0].OriginalLength);
        Assert.Equal(LinkType.LinuxSll, frames[0].LinkType);
        Assert.Equal(96, reader.Interfaces[0].SnapLength);
        Assert.True(((PcapReader)reader).BigEndian);
    }

    [Fact]
    public void Fcs_bits_in_the_network_field_do_not_change_the_link_type()
    {
        byte[] file = Written(nanoseconds: false);
        // LINKTYPE_FCS flag plus a 4-byte FCS length in the upper half of "network".
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(20), 0x1000_0000u | (2u << 29) | 1u);

        List<FrameCopy> frames = ReaderExtensions.ReadAll(file, out _);

        Assert.All(frames, f => Assert.Equal(LinkType.Ethernet, f.LinkType));
    }

    [Fact]
    public void Included_length_above_original_length_uses_the_bytes_present()
    {
        byte[] file = BigEndianPcap(false, 1, 65535, (1u, 0u, B, 3u));

        FrameCopy frame = Assert.Single(ReaderExtensions.ReadAll(file, out _));

        Assert.Equal(B, frame.Data);
        Assert.Equal(B.Length, frame.OriginalLength);
    }

    [Fact]
    public void Header_without_packets_is_a_valid_empty_capture()
    {
        var stream = new MemoryStream();
        _ = new PcapWriter(stream, LinkType.Raw);

        List<FrameCopy> frames = ReaderExtensions.ReadAll(stream.ToArray(), out ICaptureReader reader);

        Assert.Empty(frames);
        Assert.False(reader.Truncated);
        Assert.Empty(reader.Warnings);
        Assert.Equal(LinkType.Raw, reader.Interfaces[0].LinkType);
    }

    [Fact]
    public void First_record_with_an_impossible_length_refuses_the_file()
    {
        byte[] file = Written(nanoseconds: false);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24 + 8), 0x8000_0000u); // 2 GiB

        using var temp = new TempCapture(file);
        var e = Assert.Throws<CaptureFileException>(temp.Open);

        Assert.Contains(temp.FilePath, e.Message);
        Assert.Contains("impossible", e.Message);
        Assert.Contains("record 1", e.Problem);
    }

    [Fact]
    public void Later_record_with_an_impossible_length_stops_with_a_warning_and_keeps_earlier_frames()
    {
        byte[] file = Written(nanoseconds: false);
        int second = 24 + 16 + A.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(second + 8), 0x8000_0000u);

        List<FrameCopy> frames = ReaderExtensions.ReadAll(file, out ICaptureReader reader);

        Assert.Equal(A, Assert.Single(frames).Data);
        Assert.Contains("impossible", Assert.Single(reader.Warnings));
        Assert.Contains("record 2", reader.Warnings[0]);
        Assert.False(reader.Truncated);
    }

    [Fact]
    public void File_cut_at_every_byte_of_the_last_record_keeps_earlier_frames_and_reports_truncation()
    {
        byte[] whole = Written(nanoseconds: true);
        int lastRecord = 24 + 16 + A.Length;
        for (int cut = lastRecord + 1; cut < whole.Length; cut++)
        {
            List<FrameCopy> frames = ReaderExtensions.ReadAll(whole[..cut], out ICaptureReader reader);

            Assert.Equal(A, Assert.Single(frames).Data);
            Assert.True(reader.Truncated, $"cut at {cut}");
            Assert.Equal("file is truncated in the middle of packet 2", Assert.Single(reader.Warnings));
        }

        // Cut exactly between records: a clean, shorter file.
        List<FrameCopy> clean = ReaderExtensions.ReadAll(whole[..lastRecord], out ICaptureReader cleanReader);
        Assert.Single(clean);
        Assert.False(cleanReader.Truncated);
    }

    [Fact]
    public void Header_cut_short_is_refused()
    {
        byte[] file = Written(nanoseconds: false)[..20];
        using var temp = new TempCapture(file);

        var e = Assert.Throws<CaptureFileException>(temp.Open);

        Assert.Contains("cut short", e.Problem);
    }

    [Fact]
    public void Position_advances_to_the_length_for_progress()
    {
        using var temp = new TempCapture(Written(nanoseconds: false));
        using ICaptureReader reader = temp.Open();

        Assert.Equal(24, reader.Position);
        Assert.True(reader.TryRead(out _));
        Assert.Equal(24 + 16 + A.Length, reader.Position);
        Assert.True(reader.TryRead(out _));
        Assert.Equal(reader.Length, reader.Position);
    }

    /// <summary>A big-endian pcap by hand: nothing in the product writes one.</summary>
    internal static byte[] BigEndianPcap(bool nanoseconds, uint linkType, uint snapLength, params (uint Seconds, uint Fraction, byte[] Data, uint Original)[] records)
    {
        var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32BigEndian(header, nanoseconds ? 0xA1B23C4Du : 0xA1B2C3D4u);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32BigEndian(header[20..], linkType);
        stream.Write(header);
        Span<byte> record = stackalloc byte[16];
        foreach (var r in records)
        {
            BinaryPrimitives.WriteUInt32BigEndian(record, r.Seconds);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], r.Fraction);
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)r.Data.Length);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], r.Original);
            stream.Write(record);
            stream.Write(r.Data);
        }

        return stream.ToArray();
    }
}
