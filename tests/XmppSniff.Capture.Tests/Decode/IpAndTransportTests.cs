using XmppSniff.Capture.Decode;
using XmppSniff.Core;
using static XmppSniff.Capture.Tests.Decode.Build;

namespace XmppSniff.Capture.Tests.Decode;

public class IpAndTransportTests
{
    [Fact]
    public void Ethernet_padding_is_trimmed()
    {
        // A 1-byte TCP payload in a minimum-size Ethernet frame gets padding the IP length excludes.
        var frame = Concat(Ether(0x0800, V4Tcp(new byte[] { 0x42 })), new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF });
        var d = Run(LinkType.Ethernet, frame);
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(new byte[] { 0x42 }, d.Payload);
        Assert.Equal(1, d.PayloadLength);

        var v6 = Concat(Ether(0x86DD, V6Udp(new byte[] { 0x43 })), new byte[] { 0xFF, 0xFF, 0xFF });
        Assert.Equal(new byte[] { 0x43 }, Run(LinkType.Ethernet, v6).Payload);
    }

    [Fact]
    public void Snaplen_cut_payload_is_shorter_than_claimed()
    {
        var full = Ether(0x0800, V4Tcp(Bytes(100)));
        var cut = full[..(14 + 20 + 20 + 30)];
        var d = Run(LinkType.Ethernet, cut, originalLength: full.Length);
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(Bytes(100)[..30], d.Payload);
        Assert.Equal(100, d.PayloadLength);
        Assert.Equal(full.Length, d.FrameLength);

        var fullUdp = Ether(0x86DD, V6Udp(Bytes(100)));
        var du = Run(LinkType.Ethernet, fullUdp[..(14 + 40 + 8 + 10)], originalLength: fullUdp.Length);
        Assert.Equal(Bytes(100)[..10], du.Payload);
        Assert.Equal(100, du.PayloadLength);
    }

    public static TheoryData<string> Frames() => new() { "ether-v4-tcp", "vlan2-v6-udp", "nflog-v4-udp", "sll-v6-tcp-ext", "gre-v4-in-v6", "gtp-v4-in-v4", "vxlan-vlan-v4-in-v4", "erspan2-v4-in-v4" };

    private static (LinkType, byte[], int headers) Sample(string name) => name switch
    {
        "ether-v4-tcp" => (LinkType.Ethernet, Ether(0x0800, Ipv4(6, Tcp(1, 2, Bytes(10), dataOffsetWords: 6), ihlWords: 6)), 14 + 24 + 24),
        "vlan2-v6-udp" => (LinkType.Ethernet, Ether(0x86DD, V6Udp(Bytes(10)), 0x88A8, 0x8100), 22 + 40 + 8),
        "nflog-v4-udp" => (LinkType.Nflog, Concat(new byte[] { 2, 0, 0, 0, (byte)(4 + 38), 0, 9, 0 }, V4Udp(Bytes(10))), 8 + 28),
        "sll-v6-tcp-ext" => (LinkType.LinuxSll, Concat(new byte[] { 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x86, 0xDD },
            Ipv6(0, Concat(Options(60, 1), Options(6), Tcp(1, 2, Bytes(10))))), 16 + 40 + 16 + 8 + 20),
        "gtp-v4-in-v4" => (LinkType.Raw, Ipv4(17, Udp(2152, 2152, Concat(
            new byte[] { 0x36, 0xFF, 0, 8 + 40 + 10, 0, 0, 0, 1, 0, 7, 0, 0x85, 1, 0x10, 0x09, 0 }, V4Tcp(Bytes(10))))), 20 + 8 + 16 + 20 + 20),
        "erspan2-v4-in-v4" => (LinkType.Raw, Ipv4(47, Concat(new byte[] { 0x10, 0, 0x88, 0xBE, 0, 0, 0, 9, 0x10, 5, 0, 1, 0, 0, 0, 3 },
            Ether(0x0800, V4Tcp(Bytes(10))))), 20 + 16 + 14 + 20 + 20),
        "vxlan-vlan-v4-in-v4" => (LinkType.Raw, Ipv4(17, Udp(51234, 4789, Concat(
            new byte[] { 0x08, 0, 0, 0, 0, 0x13, 0x89, 0 }, Ether(0x0800, V4Tcp(Bytes(10)), 0x8100)))), 20 + 8 + 8 + 18 + 20 + 20),
        _ => (LinkType.Raw, Ipv6(47, Concat(new byte[] { 0x20, 0, 0x08, 0, 0, 0, 0, 9 }, V4Tcp(Bytes(10)))), 40 + 8 + 20 + 20),
    };

    [Theory]
    [MemberData(nameof(Frames))]
    public void Cut_at_every_length_never_throws_and_says_truncated_until_headers_are_whole(string name)
    {
        var (linkType, full, headers) = Sample(name);
        var decoder = new FrameDecoder();
        for (int length = 0; length <= full.Length; length++)
        {
            var d = Run(decoder, linkType, full[..length], originalLength: full.Length);
            if (length < headers)
            {
                Assert.True(d.Status == DecodeStatus.Truncated, $"{name} cut to {length}: {d.Status}");
            }
            else
            {
                Assert.Equal(DecodeStatus.Transport, d.Status);
                Assert.Equal(Bytes(10)[..(length - headers)], d.Payload);
                Assert.Equal(10, d.PayloadLength);
            }
        }
        Assert.Equal(full.Length + 1, decoder.Counters.Frames);
        Assert.Equal(headers, decoder.Counters.Truncated);
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Short_frames_that_were_not_cut_are_malformed(string name)
    {
        var (linkType, full, headers) = Sample(name);
        for (int length = 0; length < headers; length++)
        {
            var d = Run(linkType, full[..length]); // original length == captured: nobody cut it
            // An NFLOG header with no TLVs at all is a log entry without a packet, not a broken one.
            var expected = name == "nflog-v4-udp" && length == 4 ? DecodeStatus.NotIp : DecodeStatus.Malformed;
            Assert.True(d.Status == expected, $"{name} length {length}: {d.Status}");
        }
    }

    [Fact]
    public void Ipv4_header_checks()
    {
        var good = V4Tcp(Bytes(4));
        var badVersion = (byte[])good.Clone();
        badVersion[0] = 0x55;
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Ipv4, badVersion).Status);

        var shortIhl = (byte[])good.Clone();
        shortIhl[0] = 0x44;
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, shortIhl).Status);

        var lengthBelowHeader = Ipv4(6, Tcp(1, 2, Bytes(4)), totalLength: 19);
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, lengthBelowHeader).Status);
    }

    [Fact]
    public void Ipv4_total_length_zero_uses_captured_length()
    {
        var d = Run(LinkType.Raw, Ipv4(6, Tcp(1, 2, Bytes(3000)), totalLength: 0));
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(3000, d.Payload.Length);
        Assert.Equal(3000, d.PayloadLength);
    }

    [Fact]
    public void Ipv6_payload_length_zero_uses_captured_length()
    {
        var d = Run(LinkType.Raw, Ipv6(17, Udp(1, 2, Bytes(70), lengthField: 0), payloadLength: 0));
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(70, d.PayloadLength);
        Assert.Equal(Bytes(70), d.Payload);
    }

    [Fact]
    public void Tcp_data_offset_below_five_is_malformed_even_when_cut()
    {
        var ip = Ipv4(6, Tcp(1, 2, Bytes(30), dataOffsetWords: 4));
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, ip).Status);
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, ip, originalLength: ip.Length + 10).Status);
    }

    [Fact]
    public void Tcp_options_past_the_ip_length_are_malformed_not_truncated()
    {
        // The IP header says the segment is 24 bytes, the TCP header says 60: a contradiction, snap length or not.
        var ip = Ipv4(6, Tcp(1, 2, Array.Empty<byte>(), dataOffsetWords: 15)[..24]);
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, ip, originalLength: ip.Length + 100).Status);
    }

    [Fact]
    public void Udp_length_field_trims_or_is_ignored()
    {
        // Smaller than the IP payload: trim to it.
        var trimmed = Run(LinkType.Raw, Ipv4(17, Udp(1, 2, Bytes(20), lengthField: 8 + 5)));
        Assert.Equal(Bytes(20)[..5], trimmed.Payload);
        Assert.Equal(5, trimmed.PayloadLength);

        // Bigger than the IP payload, or zero: use the IP payload.
        var bigger = Run(LinkType.Raw, Ipv4(17, Udp(1, 2, Bytes(20), lengthField: 500)));
        Assert.Equal(Bytes(20), bigger.Payload);
        Assert.Equal(20, bigger.PayloadLength);
        var zero = Run(LinkType.Raw, Ipv4(17, Udp(1, 2, Bytes(20), lengthField: 0)));
        Assert.Equal(20, zero.PayloadLength);

        // 1..7 cannot even cover the header.
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, Ipv4(17, Udp(1, 2, Bytes(20), lengthField: 7))).Status);
    }

    [Fact]
    public void Icmp_and_other_protocols_are_other_ip_with_the_real_protocol()
    {
        var decoder = new FrameDecoder();
        var icmp = Run(decoder, LinkType.Raw, Ipv4(1, new byte[] { 8, 0, 0, 0, 0, 1, 0, 1 }));
        Assert.Equal(DecodeStatus.OtherIp, icmp.Status);
        Assert.Equal(IpProtocol.Icmp, icmp.Protocol);
        Assert.Equal(Address.Parse(V4Src), icmp.Source.Address);
        Assert.Equal(8, icmp.PayloadLength);

        var icmp6 = Run(decoder, LinkType.Raw, Ipv6(58, new byte[] { 128, 0, 0, 0 }));
        Assert.Equal(IpProtocol.Ipv6Icmp, icmp6.Protocol);

        var sctp = Run(decoder, LinkType.Raw, Ipv4(132, Bytes(12)));
        Assert.Equal(DecodeStatus.OtherIp, sctp.Status);
        Assert.Equal((IpProtocol)132, sctp.Protocol);

        Assert.Equal(2, decoder.Counters.Icmp);
        Assert.Equal(3, decoder.Counters.OtherIp);
        Assert.Equal(0, decoder.Counters.Tcp + decoder.Counters.Udp);
    }

    [Fact]
    public void Random_bytes_never_throw_and_every_frame_lands_in_one_status()
    {
        var rng = new Random(1234);
        var decoder = new FrameDecoder();
        var linkTypes = Enum.GetValues<LinkType>();
        var seeds = new[] { Ether(0x8100, Ether(0x0800, V4Tcp(Bytes(40)))[12..]), Ether(0x86DD, Ipv6(0, Concat(Options(44), Ipv6Fragment(6, 0, true, 9), Tcp(1, 2, Bytes(16))))),
            Ipv4(47, Concat(new byte[] { 0xB0, 0, 0x86, 0xDD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2 }, V6Udp(Bytes(9)))), Ipv4(4, Ipv4(17, Udp(1, 2, Bytes(9)), id: 3, moreFragments: true)) };
        int frames = 0;
        for (int i = 0; i < 20000; i++)
        {
            byte[] data;
            if (i % 2 == 0)
            {
                data = new byte[rng.Next(0, 120)];
                rng.NextBytes(data);
            }
            else
            {
                // Mutate a valid frame: the interesting bugs live in almost-valid headers.
                data = (byte[])seeds[rng.Next(seeds.Length)].Clone();
                for (int m = rng.Next(1, 4); m > 0; m--)
                    data[rng.Next(data.Length)] = (byte)rng.Next(256);
                data = data[..rng.Next(data.Length + 1)];
            }
            var linkType = linkTypes[rng.Next(linkTypes.Length)];
            var frame = Frame(linkType, data, originalLength: data.Length + rng.Next(0, 3), time: i * 1000L);
            decoder.Decode(frame, out _);
            frames++;
        }
        var c = decoder.Counters;
        Assert.Equal(frames, c.Frames);
        Assert.Equal(c.Frames, c.Transport + c.OtherIp + c.FragmentsHeld + c.NotIp + c.UnsupportedLinkType + c.Truncated + c.Malformed);
        Assert.True(c.Malformed > 0 && c.Truncated > 0 && c.Transport > 0, "the fuzz should reach every outcome");
    }

    [Fact]
    public void Normal_path_allocates_nothing()
    {
        var decoder = new FrameDecoder();
        var frames = new[]
        {
            (LinkType.Ethernet, Ether(0x0800, V4Tcp(Bytes(100)), 0x8100)),
            (LinkType.LinuxSll2, Concat(new byte[] { 0x86, 0xDD }, new byte[18], V6Udp(Bytes(50)))),
            (LinkType.Raw, Ipv4(41, V6Tcp(Bytes(10)))),
        };
        long sum = 0;
        void Loop()
        {
            foreach (var (linkType, data) in frames)
            {
                var frame = Frame(linkType, data);
                decoder.Decode(frame, out var p);
                sum += p.PayloadLength;
            }
        }
        Loop(); // warm up: JIT and the first key of each link type in ByLinkType
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10000; i++)
            Loop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(10001L * (100 + 50 + 10), sum);
    }
}
