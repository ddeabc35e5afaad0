using System.Buffers.Binary;
using XmppSniff.Capture.Decode;
using XmppSniff.Core;
using static XmppSniff.Capture.Tests.Decode.Build;

namespace XmppSniff.Capture.Tests.Decode;

public class LinkLayerTests
{
    /// <summary>Wraps an IP packet in each link layer the decoder knows.</summary>
    private static (LinkType, byte[]) Wrap(string link, byte[] ip)
    {
        bool v6 = ip[0] >> 4 == 6;
        ushort etherType = EtherTypeOf(ip);
        byte[] Family(uint family, bool bigEndian)
        {
            var f = new byte[4];
            if (bigEndian)
                BinaryPrimitives.WriteUInt32BigEndian(f, family);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(f, family);
            return Concat(f, ip);
        }
        switch (link)
        {
            case "ether": return (LinkType.Ethernet, Ether(etherType, ip));
            case "vlan1": return (LinkType.Ethernet, Ether(etherType, ip, 0x8100));
            case "vlan2": return (LinkType.Ethernet, Ether(etherType, ip, 0x88A8, 0x8100));
            case "vlan3": return (LinkType.Ethernet, Ether(etherType, ip, 0x9100, 0x88A8, 0x8100));
            case "pppoe":
                {
                    var pppoe = new byte[] { 0x11, 0x00, 0x12, 0x34, 0, 0, (byte)(v6 ? 0x00 : 0x00), (byte)(v6 ? 0x57 : 0x21) };
                    BinaryPrimitives.WriteUInt16BigEndian(pppoe.AsSpan(4), (ushort)(ip.Length + 2));
                    return (LinkType.Ethernet, Ether(0x8864, Concat(pppoe, ip)));
                }
            case "mpls":
                // Two labels; only the second has the bottom-of-stack bit.
                return (LinkType.Ethernet, Ether(0x8847, Concat(new byte[] { 0, 1, 0x00, 64, 0, 2, 0x01, 64 }, ip)));
            case "sll":
                {
                    var h = new byte[16];
                    BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(2), 772); // ARPHRD_LOOPBACK
                    BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(14), etherType);
                    return (LinkType.LinuxSll, Concat(h, ip));
                }
            case "sll2":
                {
                    var h = new byte[20];
                    BinaryPrimitives.WriteUInt16BigEndian(h, etherType);
                    BinaryPrimitives.WriteUInt16BigEndian(h.AsSpan(8), 1); // ARPHRD_ETHER
                    return (LinkType.LinuxSll2, Concat(h, ip));
                }
            case "null-le": return (LinkType.Null, Family(v6 ? 30u : 2u, bigEndian: false));
            case "null-be": return (LinkType.Null, Family(v6 ? 24u : 2u, bigEndian: true));
            case "null-28": return (LinkType.Null, Family(v6 ? 28u : 2u, bigEndian: false));
            case "loop": return (LinkType.Loop, Family(v6 ? 24u : 2u, bigEndian: true));
            case "raw": return (LinkType.Raw, ip);
            case "raw12": return (LinkType.RawOpenBsd, ip);
            case "raw14": return (LinkType.RawBsdOs, ip);
            case "ipvx": return (v6 ? LinkType.Ipv6 : LinkType.Ipv4, ip);
            case "nflog":
                {
                    // A 6-byte prefix TLV (padded to 8) before the payload TLV: the walk must honour the padding.
                    var header = new byte[] { (byte)(v6 ? 10 : 2), 0, 0, 0 };
                    var prefix = new byte[] { 6, 0, 10, 0, (byte)'a', 0, 0xEE, 0xEE };
                    var payloadTlv = new byte[4];
                    BinaryPrimitives.WriteUInt16LittleEndian(payloadTlv, (ushort)(4 + ip.Length));
                    BinaryPrimitives.WriteUInt16LittleEndian(payloadTlv.AsSpan(2), 9);
                    return (LinkType.Nflog, Concat(header, prefix, payloadTlv, ip, new byte[] { 0, 0, 0 }));
                }
            case "ppp": return (LinkType.Ppp, Concat(new byte[] { 0xFF, 0x03, 0x00, (byte)(v6 ? 0x57 : 0x21) }, ip));
            case "ppp-bare": return (LinkType.Ppp, Concat(new byte[] { 0x00, (byte)(v6 ? 0x57 : 0x21) }, ip));
            case "chdlc": return (LinkType.CiscoHdlc, Concat(new byte[] { 0x0F, 0x00, (byte)(etherType >> 8), (byte)etherType }, ip));
            case "chdlc-as-ppp": return (LinkType.Ppp, Concat(new byte[] { 0x8F, 0x00, (byte)(etherType >> 8), (byte)etherType }, ip));
            case "ppi":
                {
                    // Version 0, flags 0, header length 12 (8 + one 4-byte field), inner link type Ethernet.
                    var h = new byte[] { 0, 0, 12, 0, 1, 0, 0, 0, 0xAA, 0xBB, 0xCC, 0xDD };
                    return (LinkType.Ppi, Concat(h, Ether(etherType, ip)));
                }
            default: throw new ArgumentException(link);
        }
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var link in new[] { "ether", "vlan1", "vlan2", "vlan3", "pppoe", "mpls", "sll", "sll2", "null-le", "null-be", "null-28", "loop", "raw", "raw12", "raw14", "ipvx", "nflog", "ppp", "ppp-bare", "chdlc", "chdlc-as-ppp", "ppi" })
            foreach (var ip in new[] { "v4tcp", "v4udp", "v6tcp", "v6udp" })
                data.Add(link, ip);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_link_layer_reaches_TCP_and_UDP_over_IPv4_and_IPv6(string link, string kind)
    {
        var payload = Bytes(33, seed: 5);
        var ip = kind switch
        {
            "v4tcp" => V4Tcp(payload),
            "v4udp" => V4Udp(payload),
            "v6tcp" => V6Tcp(payload),
            _ => V6Udp(payload),
        };
        var (linkType, frame) = Wrap(link, ip);
        var decoder = new FrameDecoder();

        var d = Run(decoder, linkType, frame, number: 7, time: 123456789);

        Assert.Equal(DecodeStatus.Transport, d.Status);
        bool v6 = kind.StartsWith("v6");
        Assert.Equal(Address.Parse(v6 ? V6Src : V4Src), d.Source.Address);
        Assert.Equal(Address.Parse(v6 ? V6Dst : V4Dst), d.Destination.Address);
        bool tcp = kind.EndsWith("tcp");
        Assert.Equal(tcp ? IpProtocol.Tcp : IpProtocol.Udp, d.Protocol);
        Assert.Equal(tcp ? (ushort)40000 : (ushort)5353, d.Source.Port);
        Assert.Equal(tcp ? (ushort)5222 : (ushort)53, d.Destination.Port);
        Assert.Equal(payload, d.Payload);
        Assert.Equal(payload.Length, d.PayloadLength);
        Assert.Equal(7, d.Number);
        Assert.Equal(123456789, d.Time);
        Assert.Equal(frame.Length, d.FrameLength);
        Assert.Equal(1, decoder.Counters.ByLinkType[linkType]);
        Assert.Equal(v6 ? 1 : 0, decoder.Counters.Ipv6);
        Assert.Equal(v6 ? 0 : 1, decoder.Counters.Ipv4);
        Assert.Equal(tcp ? 1 : 0, decoder.Counters.Tcp);
        Assert.Equal(tcp ? 0 : 1, decoder.Counters.Udp);
    }

    [Fact]
    public void Tcp_fields_are_read()
    {
        var ip = Ipv4(6, Tcp(1, 2, Bytes(3), seq: 0xDEADBEEF, ack: 0x01020304, flags: TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Ece, window: 0xABCD));
        var d = Run(LinkType.Raw, ip);
        Assert.Equal(0xDEADBEEFu, d.Sequence);
        Assert.Equal(0x01020304u, d.Acknowledgment);
        Assert.Equal(TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Ece, d.Flags);
        Assert.Equal((ushort)0xABCD, d.Window);
    }

    [Fact]
    public void Tcp_options_are_skipped()
    {
        var ip = Ipv4(6, Tcp(1, 2, Bytes(10, 3), dataOffsetWords: 8));
        var d = Run(LinkType.Raw, ip);
        Assert.Equal(Bytes(10, 3), d.Payload);
    }

    [Fact]
    public void Packet_dot_net_built_frame_agrees()
    {
        var tcp = new PacketDotNet.TcpPacket(5222, 40001) { SequenceNumber = 77, AcknowledgmentNumber = 88, Synchronize = true, WindowSize = 1000 };
        tcp.PayloadData = Bytes(20, 9);
        var ipPacket = new PacketDotNet.IPv4Packet(System.Net.IPAddress.Parse("10.1.2.3"), System.Net.IPAddress.Parse("10.3.2.1")) { PayloadPacket = tcp };
        var eth = new PacketDotNet.EthernetPacket(
            System.Net.NetworkInformation.PhysicalAddress.Parse("00-11-22-33-44-55"),
            System.Net.NetworkInformation.PhysicalAddress.Parse("66-77-88-99-AA-BB"),
            PacketDotNet.EthernetType.IPv4) { PayloadPacket = ipPacket };
        ipPacket.UpdateCalculatedValues();
        tcp.UpdateCalculatedValues();

        var d = Run(LinkType.Ethernet, eth.Bytes);

        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal("10.1.2.3:5222", d.Source.ToString());
        Assert.Equal("10.3.2.1:40001", d.Destination.ToString());
        Assert.Equal(77u, d.Sequence);
        Assert.Equal(88u, d.Acknowledgment);
        Assert.Equal(TcpFlags.Syn, d.Flags);
        Assert.Equal(Bytes(20, 9), d.Payload);
    }

    [Fact]
    public void Arp_is_not_ip()
    {
        var decoder = new FrameDecoder();
        var d = Run(decoder, LinkType.Ethernet, Ether(0x0806, new byte[28]));
        Assert.Equal(DecodeStatus.NotIp, d.Status);
        Assert.Equal(1, decoder.Counters.NotIp);
        Assert.Equal(1, decoder.Counters.Frames);
    }

    [Fact]
    public void Sll_arp_and_unknown_null_family_are_not_ip()
    {
        var sll = new byte[16 + 28];
        BinaryPrimitives.WriteUInt16BigEndian(sll.AsSpan(14), 0x0806);
        Assert.Equal(DecodeStatus.NotIp, Run(LinkType.LinuxSll, sll).Status);
        // AF_UNIX (1) in either order is not IP even though the bytes after it are.
        Assert.Equal(DecodeStatus.NotIp, Run(LinkType.Null, Concat(new byte[] { 1, 0, 0, 0 }, V4Tcp(Bytes(4)))).Status);
        Assert.Equal(DecodeStatus.NotIp, Run(LinkType.Loop, Concat(new byte[] { 2, 0, 0, 0 }, V4Tcp(Bytes(4)))).Status);
    }

    [Fact]
    public void Mpls_with_a_non_ip_payload_is_not_ip()
    {
        // Control word 0x0000 0000 after the label (Ethernet pseudowire).
        var frame = Ether(0x8847, Concat(new byte[] { 0, 1, 0x01, 64 }, new byte[] { 0, 0, 0, 0 }, Ether(0x0800, V4Tcp(Bytes(4)))));
        Assert.Equal(DecodeStatus.NotIp, Run(LinkType.Ethernet, frame).Status);
    }

    [Fact]
    public void Pppoe_other_ppp_protocol_is_not_ip()
    {
        var lcp = new byte[] { 0x11, 0, 0, 1, 0, 6, 0xC0, 0x21, 1, 1, 0, 4 };
        Assert.Equal(DecodeStatus.NotIp, Run(LinkType.Ethernet, Ether(0x8864, lcp)).Status);
    }

    [Fact]
    public void Vlan_stack_deeper_than_the_bound_is_malformed()
    {
        var tags = Enumerable.Repeat((ushort)0x8100, 9).ToArray();
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Ethernet, Ether(0x0800, V4Tcp(Bytes(4)), tags)).Status);
        var eight = Enumerable.Repeat((ushort)0x8100, 8).ToArray();
        Assert.Equal(DecodeStatus.Transport, Run(LinkType.Ethernet, Ether(0x0800, V4Tcp(Bytes(4)), eight)).Status);
    }

    [Fact]
    public void Unknown_link_type_is_counted_per_link_type()
    {
        var decoder = new FrameDecoder();
        Assert.Equal(DecodeStatus.UnsupportedLinkType, Run(decoder, (LinkType)105, V4Tcp(Bytes(4))).Status);
        Assert.Equal(DecodeStatus.UnsupportedLinkType, Run(decoder, (LinkType)105, V4Tcp(Bytes(4))).Status);
        Assert.Equal(DecodeStatus.UnsupportedLinkType, Run(decoder, (LinkType)1000, V4Tcp(Bytes(4))).Status);
        Assert.Equal(DecodeStatus.Transport, Run(decoder, LinkType.Raw, V4Tcp(Bytes(4))).Status);
        Assert.Equal(2, decoder.Counters.ByLinkType[(LinkType)105]);
        Assert.Equal(1, decoder.Counters.ByLinkType[(LinkType)1000]);
        Assert.Equal(1, decoder.Counters.ByLinkType[LinkType.Raw]);
        Assert.Equal(3, decoder.Counters.ByLinkType.Count);
        Assert.Equal(3, decoder.Counters.UnsupportedLinkType);
    }

    [Fact]
    public void Ipv4_link_type_carrying_ipv6_is_malformed()
    {
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Ipv4, V6Tcp(Bytes(4))).Status);
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, Concat(new byte[] { 0x50 }, new byte[40])).Status);
    }

    [Fact]
    public void Nflog_without_payload_tlv_is_not_ip_and_bad_tlv_length_is_malformed()
    {
        var noPayload = new byte[] { 2, 0, 0, 0, 8, 0, 10, 0, 1, 2, 3, 4 };
        Assert.Equal(DecodeStatus.NotIp, Run(LinkType.Nflog, noPayload).Status);
        var zeroLength = new byte[] { 2, 0, 0, 0, 0, 0, 9, 0, 1, 2, 3, 4 };
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Nflog, zeroLength).Status);
    }
}
