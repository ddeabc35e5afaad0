using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Files;
using XmppSniff.Capture.Tests.Files;

namespace XmppSniff.Capture.Tests.Decode;

public class RealCaptureTests
{
    private static DecodeCounters DecodeFile(string name)
    {
        var decoder = new FrameDecoder();
        using ICaptureReader reader = CaptureFile.Open(TestPaths.Real(name));
        while (reader.TryRead(out RawFrame frame)) decoder.Decode(frame, out _);
        var c = decoder.Counters;
        Assert.Equal(c.Frames, c.Transport + c.OtherIp + c.FragmentsHeld + c.NotIp + c.UnsupportedLinkType + c.Truncated + c.Malformed);
        return c;
    }

    // tshark column: `tshark -r FILE -Y "tcp or udp" | wc -l`, checked with tshark 4.0.17.
    // Fragments: tshark shows a reassembled datagram once, on the frame that completed it, and the frames that only
    // held fragments as plain IPv4/IPv6 - the same as our one Transport packet plus FragmentsHeld, so the counts agree.
    [Theory]
    [InlineData("ipfrag_v4_fragmented-1.zeek.pcap", 1, 1)]
    [InlineData("vlan_qinq_http_get.zeek.pcap", 14, 14)]
    [InlineData("vlan_triple-tag_http_get.zeek.pcap", 14, 14)]
    [InlineData("sll2_http_mdns_arp.packetnet.pcap", 2, 2)]
    [InlineData("nflog_linktype_http.zeek.pcap", 13, 13)]
    [InlineData("ipv6_http_null-loopback-linktype.gopacket.pcap", 24, 24)]
    [InlineData("rawip_linktype_http.ndpi.pcap", 9, 9)]
    [InlineData("ipfrag_v4_fragmented-3.zeek.pcap", 0, 0)] // five fragments that never make a whole datagram
    [InlineData("ipfrag_v4_fragmented-4.zeek.pcap", 3, 3)]
    [InlineData("ipfrag_v4_udp_sip.packetnet.pcap", 13, 13)]
    [InlineData("ipfrag_v4v6_dns_udp_tcp.ndpi.pcap", 59, 59)]
    [InlineData("ipfrag_v6_dns.zeek.pcap", 5, 5)]
    [InlineData("ipv6_http_atomic-fragment-headers.zeek.pcap", 36, 36)]
    [InlineData("sll1_http_log4j-exploit.ndpi.pcap", 422, 422)]
    [InlineData("vlan_8021q_http_get.zeek.pcap", 14, 14)]
    [InlineData("perf_10k_packets_mostly-icmp.sharppcap.pcap", 3, 3)]
    [InlineData("xmpp_c2s_starttls_ejabberd.zeek.pcap", 34, 34)]
    // tshark also matches frame 1, whose TCP options the 68-byte snap length cut; for us that header is Truncated.
    [InlineData("trunc_snaplen68_tcp-headers-cut.zeek.pcap", 24, 23)]
    // tshark also matches frames 27, 80 and 111, whose TCP headers do not fit in the IP length ("Malformed Packet"
    // in tshark too); for us they are Malformed.
    [InlineData("corrupt_fuzzed_big-endian_http.ndpi.pcap", 117, 114)]
    public void Tcp_and_udp_packets_match_tshark(string file, int tshark, int expected)
    {
        Assert.True(tshark - expected is >= 0 and <= 3, "differences from tshark are explained case by case");
        Assert.Equal(expected, DecodeFile(file).Transport);
    }

    [Fact]
    public void Zeek_fragmented_1_overlap_is_counted_and_first_copy_wins()
    {
        // Frames 1 and 2 leave a hole; frame 3 is a second "first" fragment that fills it, contradicts both and
        // runs past the end frame 2 fixed.
        var c = DecodeFile("ipfrag_v4_fragmented-1.zeek.pcap");
        Assert.Equal(2, c.FragmentsHeld);
        Assert.Equal(1, c.DatagramsReassembled);
        Assert.Equal(1, c.FragmentOverlaps);
        Assert.Equal(1, c.Udp);
    }

    [Fact]
    public void Link_type_and_non_ip_frames_are_counted()
    {
        var sll2 = DecodeFile("sll2_http_mdns_arp.packetnet.pcap");
        Assert.Equal(3, sll2.ByLinkType[LinkType.LinuxSll2]);
        Assert.Equal(1, sll2.NotIp); // the ARP request

        var fuzzed = DecodeFile("corrupt_fuzzed_big-endian_http.ndpi.pcap");
        Assert.Equal(6, fuzzed.Malformed); // 3 TCP headers past the IP length, 2 bogus versions, 1 fragment longer than its frame
        Assert.Equal(0, fuzzed.Truncated); // nothing in it was cut by the snap length

        var v6 = DecodeFile("ipfrag_v6_dns.zeek.pcap");
        Assert.Equal(1, v6.DatagramsReassembled);
        Assert.Equal(3, v6.FragmentsHeld);
    }
}
