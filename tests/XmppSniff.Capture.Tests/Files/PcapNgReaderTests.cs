using System.Text;
using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

public class PcapNgReaderTests
{
    private const long Second = 1_000_000_000L;
    private const long Base = 1_600_000_000L * Second;

    private static readonly byte[] A = [0x10, 0x11, 0x12, 0x13, 0x14];
    private static readonly byte[] B = [0x20, 0x21, 0x22];
    private static readonly byte[] C = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36];
    private static readonly byte[] TlsKeyLog = Encoding.ASCII.GetBytes("CLIENT_RANDOM 00 11\n");

    [Fact]
    public void Writer_round_trip_keeps_link_types_times_lengths_and_comments()
    {
        var stream = new MemoryStream();
        var writer = new PcapNgWriter(stream, comment: "made by a test");
        Assert.Equal(0, writer.Write(LinkType.Ethernet, Base + 1, A, originalLength: 1514, comment: "first"));
        Assert.Equal(1, writer.Write(LinkType.LinuxSll2, Base + 999_999_999, B));
        Assert.Equal(0, writer.Write(LinkType.Ethernet, Base + 2 * Second, C, comment: "third ü"));
        Assert.Equal(2, writer.Write(LinkType.Ethernet, Base + 3 * Second, A, snapLength: 64));

        List<FrameCopy> frames = ReaderExtensions.ReadAll(stream.ToArray(), out ICaptureReader reader);

        Assert.Equal(CaptureFormat.PcapNg, reader.Format);
        Assert.Equal([Base + 1, Base + 999_999_999, Base + 2 * Second, Base + 3 * Second], frames.Select(f => f.Time));
        Assert.Equal([LinkType.Ethernet, LinkType.LinuxSll2, LinkType.Ethernet, LinkType.Ethernet], frames.Select(f => f.LinkType));
        Assert.Equal([0, 1, 0, 2], frames.Select(f => f.InterfaceId));
        Assert.Equal([1514, 3, 7, 5], frames.Select(f => f.OriginalLength));
        Assert.Equal(C, frames[2].Data);
        Assert.Equal(["made by a test", "frame 1: first", "frame 3: third ü"], reader.Comments);
        Assert.Equal(3, reader.Interfaces.Count);
        Assert.Equal(64, reader.Interfaces[2].SnapLength);
        Assert.Empty(reader.Warnings);
        Assert.False(reader.Truncated);
        Assert.Equal(reader.Length, reader.Position);
    }

    /// <summary>
    /// Two interfaces with different link types and resolutions (10^-9; 2^-20 with a 10 s
    /// offset), every packet block kind, a DSB and blocks to skip.
    /// </summary>
    private static byte[] RichFile(bool bigEndian) => new PcapNgBuilder()
        .Section(bigEndian, comment: "section comment")
        .Interface(1, snapLength: 4, tsresol: 9, name: "eth0", description: "wired", comment: "outside")
        .Interface(101, snapLength: 0, tsresol: 0x80 | 20, tsoffset: 10)
        .Raw(4, [0, 0, 0, 0]) // NRB: only the end record
        .Enhanced(0, (ulong)(Base + 5), A[..4], originalLength: 5, comment: "hello")
        .Secrets(0x544C534B, TlsKeyLog)
        .Enhanced(1, (3UL << 20) | (1UL << 19), B) // 3.5 s after the epoch, plus 10 s offset
        .Raw(0x00000BAD, [1, 2, 3, 4, 5, 6, 7, 8]) // custom block
        .Simple(7, C) // interface 0: snap length 4 cuts it
        .Raw(5, new byte[16]) // ISB
        .Obsolete(1, 1UL << 20, A)
        .ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Interfaces_with_different_link_types_and_resolutions(bool bigEndian)
    {
        List<FrameCopy> frames = ReaderExtensions.ReadAll(RichFile(bigEndian), out ICaptureReader reader);
        var ng = (PcapNgReader)reader;

        Assert.Equal(bigEndian, ng.BigEndian);
        Assert.Equal(4, frames.Count);
        Assert.Equal([1L, 2, 3, 4], frames.Select(f => f.Number));
        Assert.Equal([LinkType.Ethernet, LinkType.Raw, LinkType.Ethernet, LinkType.Raw], frames.Select(f => f.LinkType));
        Assert.Equal([0, 1, 0, 1], frames.Select(f => f.InterfaceId));

        Assert.Equal(Base + 5, frames[0].Time);
        Assert.Equal(13_500_000_000L, frames[1].Time);
        Assert.Equal(frames[1].Time, frames[2].Time); // SPB has no clock: previous frame's time
        Assert.Equal(11 * Second, frames[3].Time);

        Assert.Equal(A[..4], frames[0].Data);
        Assert.Equal(5, frames[0].OriginalLength);
        Assert.Equal(C[..4], frames[2].Data);
        Assert.Equal(7, frames[2].OriginalLength);
        Assert.Equal(A, frames[3].Data);

        Assert.Equal(new CaptureInterface(LinkType.Ethernet, 4, "eth0", "wired"), reader.Interfaces[0]);
        Assert.Equal(new CaptureInterface(LinkType.Raw, 0, null, null), reader.Interfaces[1]);
        Assert.Equal(["section comment", "interface 0: outside", "frame 1: hello"], reader.Comments);

        var secret = Assert.Single(ng.DecryptionSecrets);
        Assert.Equal(0x544C534Bu, secret.Type);
        Assert.Equal(TlsKeyLog, secret.Data);
        Assert.Empty(reader.Warnings);
    }

    [Fact]
    public void A_new_section_resets_the_interfaces_and_may_switch_byte_order()
    {
        byte[] file = new PcapNgBuilder()
            .Section(bigEndian: false)
            .Interface(1, tsresol: 9)
            .Enhanced(0, 100, A)
            .Section(bigEndian: true, comment: "second")
            .Interface(113) // default resolution: microseconds
            .Enhanced(0, 100, B)
            .ToArray();

        List<FrameCopy> frames = ReaderExtensions.ReadAll(file, out ICaptureReader reader);

        Assert.Equal([LinkType.Ethernet, LinkType.LinuxSll], frames.Select(f => f.LinkType));
        Assert.Equal([100L, 100_000], frames.Select(f => f.Time));
        Assert.Equal([0, 1], frames.Select(f => f.InterfaceId));
        Assert.Equal(2, reader.Interfaces.Count);
        Assert.Equal(["second"], reader.Comments);
        Assert.Empty(reader.Warnings);
    }

    [Fact]
    public void A_packet_naming_an_interface_of_the_previous_section_is_skipped_with_a_warning()
    {
        byte[] file = new PcapNgBuilder()
            .Section()
            .Interface(1)
            .Interface(1)
            .Section()
            .Interface(1)
            .Enhanced(1, 1, A) // only interface 0 exists in this section
            .Enhanced(0, 2, B)
            .ToArray();

        List<FrameCopy> frames = ReaderExtensions.ReadAll(file, out ICaptureReader reader);

        Assert.Equal(B, Assert.Single(frames).Data);
        Assert.Equal(2, frames[0].InterfaceId);
        Assert.Contains("interface 1", Assert.Single(reader.Warnings));
    }

    [Theory]
    [InlineData((byte)0, ulong.MaxValue, long.MaxValue)] // seconds: overflows long ns
    [InlineData((byte)0x80, ulong.MaxValue, long.MaxValue)] // 2^0 seconds: same
    [InlineData((byte)127, ulong.MaxValue, 0L)] // 10^-127: never reaches a nanosecond
    [InlineData((byte)(0x80 | 127), ulong.MaxValue, 0L)]
    [InlineData((byte)3, 1234UL, 1_234_000_000L)] // milliseconds
    [InlineData((byte)12, 1_234_567UL, 1_234L)] // picoseconds
    public void Extreme_resolutions_clamp_instead_of_throwing(byte tsresol, ulong ticks, long expected)
    {
        byte[] file = new PcapNgBuilder().Section().Interface(1, tsresol: tsresol).Enhanced(0, ticks, A).ToArray();

        FrameCopy frame = Assert.Single(ReaderExtensions.ReadAll(file, out _));

        Assert.Equal(expected, frame.Time);
    }

    [Fact]
    public void Offset_that_overflows_clamps()
    {
        byte[] file = new PcapNgBuilder().Section().Interface(1, tsresol: 9, tsoffset: long.MaxValue).Enhanced(0, 5, A).ToArray();

        Assert.Equal(long.MaxValue, Assert.Single(ReaderExtensions.ReadAll(file, out _)).Time);
    }

    public static TheoryData<string, byte[]> BadLengths => new()
    {
        { "shorter than 12", [6, 0, 0, 0, 8, 0, 0, 0, 8, 0, 0, 0] },
        { "not a multiple of 4", [6, 0, 0, 0, 13, 0, 0, 0, 0, 0, 0, 0, 0, 13, 0, 0, 0] },
        { "trailing length differs", [6, 0, 0, 0, 12, 0, 0, 0, 16, 0, 0, 0] },
        { "far past the end", [6, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(BadLengths))]
    public void Block_with_a_bad_length_stops_with_a_warning_and_keeps_earlier_frames(string why, byte[] damage)
    {
        byte[] file = new PcapNgBuilder().Section().Interface(1).Enhanced(0, 1, A).Enhanced(0, 2, B)
            .Bytes(damage).Enhanced(0, 3, C).ToArray();

        List<FrameCopy> frames = ReaderExtensions.ReadAll(file, out ICaptureReader reader);

        Assert.Equal([A, B], frames.Select(f => f.Data));
        Assert.Single(reader.Warnings);
        Assert.False(reader.Truncated, why);
    }

    [Fact]
    public void Damage_right_after_the_section_header_is_a_warning_not_an_exception()
    {
        byte[] file = new PcapNgBuilder().Section().Bytes(1, 0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0).ToArray();

        List<FrameCopy> frames = ReaderExtensions.ReadAll(file, out ICaptureReader reader);

        Assert.Empty(frames);
        Assert.Contains("bad length of 10", Assert.Single(reader.Warnings));
    }

    [Fact]
    public void File_cut_at_every_byte_of_the_last_block_keeps_earlier_frames_and_reports_truncation()
    {
        byte[] head = new PcapNgBuilder().Section().Interface(1).Enhanced(0, 1, A).ToArray();
        byte[] whole = new PcapNgBuilder().Section().Interface(1).Enhanced(0, 1, A).Enhanced(0, 2, C, comment: "gone").ToArray();
        for (int cut = head.Length + 1; cut < whole.Length; cut++)
        {
            List<FrameCopy> frames = ReaderExtensions.ReadAll(whole[..cut], out ICaptureReader reader);

            Assert.Equal(A, Assert.Single(frames).Data);
            Assert.True(reader.Truncated, $"cut at {cut}");
            Assert.Single(reader.Warnings);
            Assert.Empty(reader.Comments);
        }
    }

    [Fact]
    public void Broken_section_header_refuses_the_file()
    {
        byte[] good = new PcapNgBuilder().Section().Interface(1).ToArray();

        byte[] badMagic = (byte[])good.Clone();
        badMagic[8] = 0x99;
        byte[] badLength = (byte[])good.Clone();
        badLength[4] = 27;

        foreach (byte[] file in new[] { badMagic, badLength, good[..10], good[..20] })
        {
            using var temp = new TempCapture(file);
            var e = Assert.Throws<CaptureFileException>(temp.Open);
            Assert.Contains("section header", e.Problem);
        }
    }

    [Fact]
    public void Leading_interfaces_and_comments_are_known_right_after_open()
    {
        using var temp = new TempCapture(RichFile(bigEndian: false));
        using var reader = (PcapNgReader)temp.Open();

        Assert.Equal(2, reader.Interfaces.Count);
        Assert.Equal(LinkType.Raw, reader.Interfaces[1].LinkType);
        Assert.Equal(["section comment", "interface 0: outside"], reader.Comments);
        Assert.Empty(reader.DecryptionSecrets); // after the first packet: not read yet

        Assert.True(reader.TryRead(out RawFrame first));
        Assert.Equal(1, first.Number);
        Assert.Equal(LinkType.Ethernet, first.LinkType);
    }
}
