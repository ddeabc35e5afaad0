using XmppSniff.Capture.Decode;
using XmppSniff.Core;
using static XmppSniff.Capture.Tests.Decode.Build;

namespace XmppSniff.Capture.Tests.Decode;

public class FragmentTests
{
    private static readonly byte[] Payload = Bytes(1000, seed: 11);
    private static readonly byte[] UdpDatagram = Udp(5060, 5061, Payload); // 1008 bytes

    /// <summary>Splits <paramref name="datagram"/> into IPv4 fragments of <paramref name="size"/> bytes (a multiple of 8).</summary>
    private static List<byte[]> Fragments(byte[] datagram, int size, ushort id = 42, string src = V4Src)
    {
        var list = new List<byte[]>();
        for (int offset = 0; offset < datagram.Length; offset += size)
        {
            int end = Math.Min(offset + size, datagram.Length);
            list.Add(Ipv4(17, datagram[offset..end], src: src, id: id, fragmentOffset: offset, moreFragments: end < datagram.Length));
        }
        return list;
    }

    private static void AssertReassembledUdp(Decoded d)
    {
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(IpProtocol.Udp, d.Protocol);
        Assert.Equal((ushort)5060, d.Source.Port);
        Assert.Equal((ushort)5061, d.Destination.Port);
        Assert.Equal(Payload, d.Payload);
        Assert.Equal(Payload.Length, d.PayloadLength);
    }

    [Fact]
    public void In_order_fragments_complete_on_the_last_one()
    {
        var decoder = new FrameDecoder();
        var fragments = Fragments(UdpDatagram, 400);
        Assert.Equal(3, fragments.Count);
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, fragments[0], number: 1).Status);
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, fragments[1], number: 2).Status);
        var d = Run(decoder, LinkType.Raw, fragments[2], number: 3, time: 99);

        AssertReassembledUdp(d);
        Assert.Equal(3, d.Number); // the frame that completed it
        Assert.Equal(99, d.Time);
        var c = decoder.Counters;
        Assert.Equal(2, c.FragmentsHeld);
        Assert.Equal(1, c.Transport);
        Assert.Equal(1, c.DatagramsReassembled);
        Assert.Equal(1, c.Udp);
        Assert.Equal(3, c.Ipv4);
        Assert.Equal(0, decoder.PendingDatagrams);
    }

    [Fact]
    public void Reversed_fragments_complete_on_the_first_one()
    {
        var decoder = new FrameDecoder();
        var fragments = Fragments(UdpDatagram, 200);
        fragments.Reverse();
        for (int i = 0; i < fragments.Count - 1; i++)
            Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, fragments[i]).Status);
        AssertReassembledUdp(Run(decoder, LinkType.Raw, fragments[^1]));
    }

    [Fact]
    public void Shuffled_fragments_over_ethernet_with_padding_complete()
    {
        var decoder = new FrameDecoder();
        var fragments = Fragments(UdpDatagram, 8 * 17).Select(f => Concat(Ether(0x0800, f), new byte[6])).ToList();
        var order = Enumerable.Range(0, fragments.Count).OrderBy(i => (i * 5) % fragments.Count).ToList();
        Decoded? last = null;
        foreach (var i in order)
            last = Run(decoder, LinkType.Ethernet, fragments[i]);
        AssertReassembledUdp(last!);
    }

    [Fact]
    public void Duplicated_fragments_are_harmless()
    {
        var decoder = new FrameDecoder();
        var f = Fragments(UdpDatagram, 400);
        Run(decoder, LinkType.Raw, f[0]);
        Run(decoder, LinkType.Raw, f[0]);
        Run(decoder, LinkType.Raw, f[1]);
        Run(decoder, LinkType.Raw, f[1]);
        AssertReassembledUdp(Run(decoder, LinkType.Raw, f[2]));
        Assert.Equal(0, decoder.Counters.FragmentOverlaps);
        Assert.Equal(1, decoder.Counters.DatagramsReassembled);
    }

    [Fact]
    public void Overlap_with_different_bytes_keeps_the_first_copy_and_is_counted()
    {
        var decoder = new FrameDecoder();
        var f = Fragments(UdpDatagram, 400);
        // A forged copy of bytes 200..600 with different content arrives after the genuine first fragment.
        var forgedBytes = Enumerable.Repeat((byte)0xAA, 400).ToArray();
        var forged = Ipv4(17, forgedBytes, id: 42, fragmentOffset: 200, moreFragments: true);
        Run(decoder, LinkType.Raw, f[0]);
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, forged).Status);
        Run(decoder, LinkType.Raw, f[1]);
        var d = Run(decoder, LinkType.Raw, f[2]);

        // Bytes 200..400 came first from f[0]; bytes 400..600 came first from the forgery.
        var expected = (byte[])UdpDatagram.Clone();
        Array.Fill(expected, (byte)0xAA, 400, 200);
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(expected[8..], d.Payload);
        // The forgery contradicted f[0]; f[1] then contradicted the forgery.
        Assert.Equal(2, decoder.Counters.FragmentOverlaps);
    }

    [Fact]
    public void Fragment_past_the_known_end_is_clipped_and_counted()
    {
        // Like zeek's fragmented-1.pcap: a late first fragment longer than the datagram the last fragment fixed.
        var decoder = new FrameDecoder();
        var f = Fragments(UdpDatagram, 400);
        Run(decoder, LinkType.Raw, f[2]);
        Run(decoder, LinkType.Raw, f[1]);
        var tooLong = Ipv4(17, Concat(UdpDatagram[..400], Bytes(16)), id: 42, moreFragments: true);
        var d = Run(decoder, LinkType.Raw, Concat(tooLong));
        AssertReassembledUdp(d);
        Assert.Equal(1, decoder.Counters.FragmentOverlaps);
    }

    [Fact]
    public void Never_completed_datagram_produces_nothing_and_times_out()
    {
        var decoder = new FrameDecoder();
        var f = Fragments(UdpDatagram, 400);
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, f[1], time: 0).Status);
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, f[2], time: 1_000_000_000).Status);
        Assert.Equal(1, decoder.PendingDatagrams);

        // 31 s later the first fragment arrives: too late, it starts a new datagram that never completes either.
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, f[0], time: 31_000_000_000).Status);
        var c = decoder.Counters;
        Assert.Equal(1, c.DatagramsTimedOut);
        Assert.Equal(2, c.FragmentsDropped);
        Assert.Equal(0, c.Transport);
        Assert.Equal(0, c.DatagramsReassembled);
        Assert.Equal(1, decoder.PendingDatagrams);
    }

    [Fact]
    public void Pending_datagrams_are_bounded_and_the_oldest_evicted()
    {
        var decoder = new FrameDecoder();
        const int extra = 10;
        int total = FrameDecoder.MaxPendingDatagrams + extra;
        var firsts = new List<byte[]>();
        for (int i = 0; i < total; i++)
        {
            var f = Fragments(UdpDatagram, 400, id: (ushort)i);
            firsts.Add(f[2]);
            Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, f[0]).Status);
            Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, f[1]).Status);
        }
        var c = decoder.Counters;
        Assert.Equal(FrameDecoder.MaxPendingDatagrams, decoder.PendingDatagrams);
        Assert.Equal(extra, c.DatagramsEvicted);
        Assert.Equal(2 * extra, c.FragmentsDropped);

        // The evicted (oldest) datagram cannot complete; a surviving one can.
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, firsts[0]).Status);
        AssertReassembledUdp(Run(decoder, LinkType.Raw, firsts[total - 1]));
    }

    [Fact]
    public void Fragments_of_different_datagrams_do_not_mix()
    {
        var decoder = new FrameDecoder();
        var a = Fragments(UdpDatagram, 400, id: 1);
        var b = Fragments(UdpDatagram, 400, id: 1, src: "192.0.2.99"); // same id, other source
        Run(decoder, LinkType.Raw, a[0]);
        Run(decoder, LinkType.Raw, b[1]);
        Run(decoder, LinkType.Raw, b[2]);
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, a[2]).Status);
        var d = Run(decoder, LinkType.Raw, a[1]);
        AssertReassembledUdp(d);
        Assert.Equal(Address.Parse(V4Src), d.Source.Address);
    }

    [Fact]
    public void Fragment_beyond_64k_is_malformed_and_a_cut_fragment_truncated()
    {
        var decoder = new FrameDecoder();
        var huge = Ipv4(17, Bytes(200), id: 5, fragmentOffset: 65528, moreFragments: false);
        Assert.Equal(DecodeStatus.Malformed, Run(decoder, LinkType.Raw, huge).Status);
        var f = Fragments(UdpDatagram, 400)[0];
        Assert.Equal(DecodeStatus.Truncated, Run(decoder, LinkType.Raw, f[..100], originalLength: f.Length).Status);
        Assert.Equal(2, decoder.Counters.FragmentsDropped);
    }

    [Fact]
    public void Fragmented_tcp_over_vlan_reassembles_too()
    {
        var decoder = new FrameDecoder();
        var segment = Tcp(5222, 50000, Bytes(600), seq: 7);
        var first = Ipv4(6, segment[..304], id: 9, moreFragments: true);
        var second = Ipv4(6, segment[304..], id: 9, fragmentOffset: 304);
        Run(decoder, LinkType.Ethernet, Ether(0x0800, second, 0x8100));
        var d = Run(decoder, LinkType.Ethernet, Ether(0x0800, first, 0x8100));
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(7u, d.Sequence);
        Assert.Equal(Bytes(600), d.Payload);
        Assert.Equal(1, decoder.Counters.Tcp);
    }

    [Fact]
    public void Ipv6_fragments_are_reassembled_and_atomic_fragments_decode_directly()
    {
        var decoder = new FrameDecoder();
        var atomic = Ipv6(44, Concat(Ipv6Fragment(17, 0, false, 1), Udp(1, 2, Bytes(10))));
        var a = Run(decoder, LinkType.Raw, atomic);
        Assert.Equal(DecodeStatus.Transport, a.Status);
        Assert.Equal(Bytes(10), a.Payload);

        // The fragmentable part starts with a destination options header, found only after reassembly.
        var whole = Concat(Options(17, 1), UdpDatagram);
        var f1 = Ipv6(0, Concat(Options(44), Ipv6Fragment(60, 0, true, 77), whole[..512]));
        var f2 = Ipv6(44, Concat(Ipv6Fragment(60, 512, false, 77), whole[512..]));
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, f2).Status);
        var d = Run(decoder, LinkType.Raw, f1);
        AssertReassembledUdp(d);
        Assert.Equal(Address.Parse(V6Src), d.Source.Address);
        Assert.Equal(1, decoder.Counters.DatagramsReassembled);
    }

    [Fact]
    public void Old_datagrams_are_swept_when_other_fragments_arrive()
    {
        var decoder = new FrameDecoder();
        Run(decoder, LinkType.Raw, Fragments(UdpDatagram, 400, id: 1)[0], time: 1_000_000_000);
        Run(decoder, LinkType.Raw, Fragments(UdpDatagram, 400, id: 2)[0], time: 20_000_000_000);
        Assert.Equal(2, decoder.PendingDatagrams);
        // More than 30 s after the first, less after the second: only the first goes.
        Run(decoder, LinkType.Raw, Fragments(UdpDatagram, 400, id: 3)[0], time: 32_000_000_000);
        Assert.Equal(2, decoder.PendingDatagrams);
        Assert.Equal(1, decoder.Counters.DatagramsTimedOut);
        Assert.Equal(1, decoder.Counters.FragmentsDropped);
    }

    [Fact]
    public void A_datagram_with_too_many_holes_is_dropped()
    {
        var decoder = new FrameDecoder();
        var data = Bytes(8);
        DecodeStatus last = DecodeStatus.FragmentHeld;
        int sent = 0;
        // Every other 8-byte block: each fragment opens a new hole.
        for (int offset = 8; offset < 4000 && last == DecodeStatus.FragmentHeld; offset += 16, sent++)
            last = Run(decoder, LinkType.Raw, Ipv4(17, data, id: 7, fragmentOffset: offset, moreFragments: true)).Status;
        Assert.Equal(DecodeStatus.Malformed, last);
        Assert.Equal(0, decoder.PendingDatagrams);
        Assert.Equal(sent, decoder.Counters.FragmentsDropped);
        Assert.True(sent < 100);
    }
}
