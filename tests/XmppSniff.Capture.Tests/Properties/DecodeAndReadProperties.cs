using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Files;
using XmppSniff.Capture.Tests.Files;
using XmppSniff.Core;
using static XmppSniff.Capture.Tests.Decode.Build;

namespace XmppSniff.Capture.Tests.Properties;

/// <summary>
/// Property tests (FsCheck) of the frame decoder and the file readers: headers whose every length and
/// offset field lies, cut at any length, decode to a status without throwing, and a packet's payload is
/// always inside the frame and no longer than its headers claim; files of records with lying lengths
/// are read up to the damage and never past the end.
/// </summary>
public class DecodeAndReadProperties
{
    /// <summary>An IPv4 or IPv6 TCP/UDP packet whose length fields may lie, cut to <see cref="Keep"/> bytes.</summary>
    public sealed record LyingPacket(bool IsV6, bool IsTcp, int Ihl, int TotalLength, int DataOffset, int UdpLength, int FragmentOffset,
        bool More, int PayloadLength, int Keep, int OriginalExtra)
    {
        public byte[] ToFrame()
        {
            byte[] payload = Bytes(PayloadLength);
            byte[] transport = IsTcp ? Tcp(40000, 5222, payload, dataOffsetWords: DataOffset) : Udp(5353, 53, payload, UdpLength);
            byte protocol = (byte)(IsTcp ? 6 : 17);
            byte[] ip = IsV6
                ? Ipv6(protocol, transport, payloadLength: TotalLength)
                : Ipv4(protocol, transport, totalLength: TotalLength, ihlWords: Ihl, fragmentOffset: FragmentOffset, moreFragments: More);
            if (!IsV6) ip[0] = (byte)(0x40 | (Ihl & 0xF)); // the header length as claimed, whatever the bytes
            return Ether(IsV6 ? (ushort)0x86DD : (ushort)0x0800, ip)[..Math.Min(Keep, 14 + ip.Length)];
        }
    }

    public static class Generators
    {
        public static Arbitrary<LyingPacket> LyingPacket() =>
            (from v6 in Gen.Elements(false, true)
             from tcp in Gen.Elements(false, true)
             from ihl in Gen.Frequency((4, Gen.Constant(5)), (1, Gen.Choose(0, 15)))
             from payload in Gen.Choose(0, 200)
             from total in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, 65535)), (1, Gen.Choose(0, 300)))
             from offset in Gen.Frequency((4, Gen.Constant(5)), (1, Gen.Choose(0, 15)))
             from udp in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, 65535)), (1, Gen.Choose(0, 300)))
             from frag in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(0, 8191).Select(i => i * 8)))
             from more in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
             from keep in Gen.Frequency((3, Gen.Constant(100_000)), (2, Gen.Choose(0, 300)))
             from extra in Gen.Choose(0, 3)
             select new LyingPacket(v6, tcp, ihl, total, offset, udp, frag, more, payload, keep, extra)).ToArbitrary();

        /// <summary>A pcap file of records whose length fields may lie.</summary>
        public static Arbitrary<byte[]> PcapFile() =>
            (from records in Gen.ListOf(
                 from length in Gen.Choose(0, 300)
                 from lie in Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, int.MaxValue)), (1, Gen.Choose(0, 1000)))
                 from original in Gen.Choose(0, 70000)
                 select (length, lie, original))
             from cut in Gen.Choose(0, 100)
             select Pcap(records, cut)).ToArbitrary();

        private static byte[] Pcap(IEnumerable<(int Length, int Lie, int Original)> records, int cutPercent)
        {
            var stream = new MemoryStream();
            new PcapWriter(stream, LinkType.Ethernet);
            var header = new byte[16];
            foreach (var (length, lie, original) in records)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)(lie < 0 ? length : lie));
                BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)original);
                stream.Write(header);
                stream.Write(Bytes(length));
            }
            byte[] file = stream.ToArray();
            int keep = 24 + (int)((long)(file.Length - 24) * cutPercent / 100);
            return file[..keep];
        }
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 2000)]
    public void LyingHeadersDecodeToAStatusAndThePayloadStaysInside(LyingPacket packet)
    {
        byte[] data = packet.ToFrame();
        var decoder = new FrameDecoder();
        var frame = Frame(LinkType.Ethernet, data, originalLength: data.Length + packet.OriginalExtra);
        DecodeStatus status = decoder.Decode(frame, out Packet p);
        Assert.True(Enum.IsDefined(status));
        Assert.Equal(1, decoder.Counters.Frames);
        if (status != DecodeStatus.Transport) return;
        Assert.True(p.Payload.Length <= p.PayloadLength, $"captured {p.Payload.Length} > claimed {p.PayloadLength}");
        Assert.True(p.Payload.Length <= data.Length);
        Assert.InRange(p.PayloadLength, 0, 65535);
        // Total length 0 means "use the captured length" (TSO), so only a nonzero one bounds the payload.
        if (!packet.IsV6 && packet.TotalLength > 0 && packet.FragmentOffset == 0 && !packet.More)
            Assert.True(p.PayloadLength <= packet.TotalLength, "more payload than the IP total length allows");
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 1000)]
    public void PcapRecordsWithLyingLengthsAreReadUpToTheDamage(byte[] file)
    {
        using var temp = new TempCapture(file);
        ICaptureReader reader;
        try
        {
            reader = temp.Open();
        }
        catch (CaptureFileException)
        {
            return; // refused as a whole: allowed for a lying first record
        }
        using (reader)
        {
            long last = 0;
            int frames = 0;
            while (reader.TryRead(out RawFrame frame))
            {
                Assert.Equal(++frames, frame.Number);
                Assert.True(frame.Data.Length <= 64 * 1024 * 1024);
                Assert.True(reader.Position > last && reader.Position <= file.Length);
                last = reader.Position;
            }
            Assert.InRange(reader.Position, 0, file.Length);
            Assert.True(reader.Warnings.Count <= 1 || reader.Truncated);
        }
    }
}
