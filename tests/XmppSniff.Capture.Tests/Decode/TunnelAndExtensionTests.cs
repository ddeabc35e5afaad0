using XmppSniff.Capture.Decode;
using XmppSniff.Core;
using static XmppSniff.Capture.Tests.Decode.Build;

namespace XmppSniff.Capture.Tests.Decode;

public class TunnelAndExtensionTests
{
    [Fact]
    public void Ipv6_extension_header_chain_is_skipped()
    {
        // hop-by-hop -> routing -> destination options (16 bytes) -> AH (24 bytes) -> TCP
        var ah = new byte[24];
        ah[0] = 6;
        ah[1] = 4; // (4 + 2) * 4 = 24 bytes
        var chain = Concat(Options(43), Options(60), Options(51, 1), ah, Tcp(1, 2, Bytes(12, 1)));
        var d = Run(LinkType.Raw, Ipv6(0, chain));
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(IpProtocol.Tcp, d.Protocol);
        Assert.Equal(Bytes(12, 1), d.Payload);
        Assert.Equal(12, d.PayloadLength);
    }

    [Fact]
    public void Esp_and_no_next_header_stop_as_other_ip()
    {
        var esp = Run(LinkType.Raw, Ipv6(0, Concat(Options(50), Bytes(16))));
        Assert.Equal(DecodeStatus.OtherIp, esp.Status);
        Assert.Equal((IpProtocol)50, esp.Protocol);
        Assert.Equal(16, esp.PayloadLength);
        var none = Run(LinkType.Raw, Ipv6(60, Options(59)));
        Assert.Equal(DecodeStatus.OtherIp, none.Status);
        Assert.Equal((IpProtocol)59, none.Protocol);
    }

    [Fact]
    public void Extension_chain_longer_than_the_bound_or_the_payload_is_malformed()
    {
        var many = Enumerable.Range(0, 9).Select(_ => Options(60)).Append(Options(6)).SelectMany(x => x).ToArray();
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, Ipv6(60, Concat(many, Tcp(1, 2, Bytes(1))))).Status);
        // The options header claims 64 bytes, the IPv6 payload length 16.
        Assert.Equal(DecodeStatus.Malformed, Run(LinkType.Raw, Ipv6(0, Concat(Options(6, 7), Tcp(1, 2, Bytes(1))), payloadLength: 16)).Status);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(4, true)]
    [InlineData(41, false)]
    [InlineData(41, true)]
    public void Ip_in_ip_decodes_the_inner_packet(byte outerProtocol, bool outerV6)
    {
        var inner = outerProtocol == 4 ? Ipv4(17, Udp(1, 2, Bytes(9)), src: "10.9.9.9", dst: "10.8.8.8")
            : Ipv6(17, Udp(1, 2, Bytes(9)), src: "fd00::9", dst: "fd00::8");
        var outer = outerV6 ? Ipv6(outerProtocol, inner) : Ipv4(outerProtocol, inner);
        var decoder = new FrameDecoder();
        var d = Run(decoder, LinkType.Ethernet, Ether(EtherTypeOf(outer), outer));
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(Address.Parse(outerProtocol == 4 ? "10.9.9.9" : "fd00::9"), d.Source.Address);
        Assert.Equal(Bytes(9), d.Payload);
        // The outer header decides the per-version counter.
        Assert.Equal(outerV6 ? 1 : 0, decoder.Counters.Ipv6);
        Assert.Equal(1, decoder.Counters.Udp);
    }

    [Fact]
    public void Gre_with_checksum_key_and_sequence_decodes_the_inner_packet()
    {
        var gre = new byte[] { 0xB0, 0x00, 0x86, 0xDD, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0, 1 };
        var outer = Ipv4(47, Concat(gre, V6Tcp(Bytes(5))));
        var d = Run(LinkType.Raw, outer);
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(Address.Parse(V6Src), d.Source.Address);
        Assert.Equal((ushort)40000, d.Source.Port);
        Assert.Equal(Bytes(5), d.Payload);

        var plain = Run(LinkType.Raw, Ipv6(47, Concat(new byte[] { 0, 0, 0x08, 0x00 }, V4Udp(Bytes(3)))));
        Assert.Equal(DecodeStatus.Transport, plain.Status);
        Assert.Equal(Address.Parse(V4Src), plain.Source.Address);
    }

    // GRE headers before an Ethernet frame: bridged (TEB); ERSPAN type I (no sequence number), type II (sequence number, then
    // an 8-byte header of version 1), type III (a 12-byte header of version 2, with and without the 8-byte platform subheader).
    public static TheoryData<string, byte[]> EthernetOverGre() => new()
    {
        { "TEB", [0, 0, 0x65, 0x58] },
        { "ERSPAN I", [0, 0, 0x88, 0xBE] },
        { "ERSPAN II", [0x10, 0, 0x88, 0xBE, 0, 0, 0, 9, 0x10, 0x05, 0x00, 0x01, 0, 0, 0, 3] },
        { "ERSPAN III", [0x10, 0, 0x22, 0xEB, 0, 0, 0, 9, 0x20, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "ERSPAN III with subheader", [0x10, 0, 0x22, 0xEB, 0, 0, 0, 9, 0x20, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(EthernetOverGre))]
    public void Gre_carrying_an_ethernet_frame_decodes_the_packet_in_it(string kind, byte[] gre)
    {
        var decoder = new FrameDecoder();
        var d = Run(decoder, LinkType.Raw, Ipv4(47, Concat(gre, Ether(0x86DD, V6Tcp(Bytes(3)), 0x8100)), src: "10.1.1.1", dst: "10.2.2.2"));
        Assert.True(d.Status == DecodeStatus.Transport, $"{kind}: {d.Status}");
        Assert.Equal(IpProtocol.Tcp, d.Protocol);
        Assert.Equal(Address.Parse(V6Src), d.Source.Address);
        Assert.Equal(Bytes(3), d.Payload);
        Assert.Equal(1, decoder.Counters.Tcp);
    }

    [Fact]
    public void Gre_with_other_payloads_stays_other_ip()
    {
        foreach (byte[] gre in (byte[][])[
            Concat(new byte[] { 0, 0, 0x65, 0x58 }, Ether(0x0806, Bytes(28))),                                      // ARP, bridged
            Concat(new byte[] { 0x10, 0, 0x88, 0xBE, 0, 0, 0, 9, 0x20, 5, 0, 1, 0, 0, 0, 3 }, Ether(0x0800, V4Tcp(Bytes(1)))), // type II header of version 2
            Concat(new byte[] { 0x30, 0x81, 0x88, 0x0B, 0, 4, 0, 1, 0, 0, 0, 1 }, Bytes(4))])                       // PPTP
        {
            var d = Run(LinkType.Raw, Ipv4(47, gre));
            Assert.Equal(DecodeStatus.OtherIp, d.Status);
            Assert.Equal((IpProtocol)47, d.Protocol);
        }
    }

    /// <summary>A GTPv1-U header: G-PDU unless told, its length field counting everything after its first 8 bytes.</summary>
    private static byte[] GtpU(byte[] inner, byte type = 0xFF, byte[]? optional = null, int lengthDelta = 0)
    {
        optional ??= [];
        int length = optional.Length + inner.Length + lengthDelta;
        byte flags = (byte)(0x30 | (optional.Length > 0 ? 0x06 : 0)); // version 1, GTP; with optional fields: S and E
        return Concat(new byte[] { flags, type, (byte)(length >> 8), (byte)length, 0, 0, 0x12, 0x34 }, optional, inner);
    }

    // Sequence number 7, N-PDU 0, then a PDU session container (type 0x85) of one 4-byte unit ending the chain.
    private static readonly byte[] SequenceAndExtension = [0, 7, 0, 0x85, 1, 0x10, 0x09, 0];

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Gtp_u_on_port_2152_decodes_the_subscriber_packet_inside(bool withExtension, bool innerV6)
    {
        var inner = innerV6 ? V6Tcp(Bytes(7)) : V4Tcp(Bytes(7));
        var decoder = new FrameDecoder();
        var d = Run(decoder, LinkType.Raw, Ipv4(17, Udp(2152, 2152, GtpU(inner, optional: withExtension ? SequenceAndExtension : null)), src: "10.238.80.26", dst: "10.238.254.75"));
        AssertTheInnerTcpPacket(d, decoder, innerV6);
    }

    /// <summary>The decoded packet is the tunnelled V4Tcp/V6Tcp(Bytes(7)), and only it was counted.</summary>
    private static void AssertTheInnerTcpPacket(Decoded d, FrameDecoder decoder, bool innerV6)
    {
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(IpProtocol.Tcp, d.Protocol);
        Assert.Equal(Address.Parse(innerV6 ? V6Src : V4Src), d.Source.Address);
        Assert.Equal((ushort)5222, d.Destination.Port);
        Assert.Equal(Bytes(7), d.Payload);
        Assert.Equal(1, decoder.Counters.Tcp);
        Assert.Equal(0, decoder.Counters.Udp); // the tunnel's datagram is not a flow of its own
    }

    [Fact]
    public void Other_udp_on_port_2152_stays_udp()
    {
        var inner = V4Tcp(Bytes(7));
        AssertStayUdp(2152,
            GtpU(inner, type: 1),                            // echo request: no user packet
            GtpU(inner, lengthDelta: 3),                     // length field and datagram disagree
            GtpU(Concat(new byte[] { 0x00 }, inner[1..])),   // payload not IP
            Concat(new byte[] { 0x50 }, GtpU(inner)[1..]),   // version 2 (GTP-C)
            Bytes(5));
        // The same G-PDU on another port is not looked into.
        Assert.Equal(IpProtocol.Udp, Run(LinkType.Raw, Ipv4(17, Udp(40000, 2153, GtpU(inner)))).Protocol);
    }

    /// <summary>Each datagram, sent to <paramref name="port"/>, decodes as the plain UDP it is.</summary>
    private static void AssertStayUdp(ushort port, params byte[][] datagrams)
    {
        foreach (byte[] datagram in datagrams)
        {
            var d = Run(LinkType.Raw, Ipv4(17, Udp(40000, port, datagram)));
            Assert.Equal(DecodeStatus.Transport, d.Status);
            Assert.Equal(IpProtocol.Udp, d.Protocol);
            Assert.Equal(port, d.Destination.Port);
            Assert.Equal(datagram, d.Payload);
        }
    }

    [Fact]
    public void Gtp_u_nesting_counts_against_the_tunnel_depth() =>
        AssertUdpTunnelDepthIsBounded(packet => Ipv4(17, Udp(2152, 2152, GtpU(packet))));

    /// <summary>A TCP packet in as many tunnels as allowed is reached; one more, and the outermost datagram stays UDP.</summary>
    private static void AssertUdpTunnelDepthIsBounded(Func<byte[], byte[]> tunnel)
    {
        byte[] packet = V4Tcp(Bytes(2));
        for (int i = 0; i < FrameDecoder.MaxTunnelDepth; i++) packet = tunnel(packet);
        Assert.Equal(IpProtocol.Tcp, Run(LinkType.Raw, packet).Protocol);
        var tooDeep = Run(LinkType.Raw, tunnel(packet));
        Assert.Equal(DecodeStatus.Transport, tooDeep.Status);
        Assert.Equal(IpProtocol.Udp, tooDeep.Protocol);
    }

    /// <summary>A VXLAN header with the VNI flag (unless told otherwise) and VNI 5001 before an Ethernet frame.</summary>
    private static byte[] Vxlan(byte[] frame, byte flags = 0x08) => Concat(new byte[] { flags, 0, 0, 0, 0, 0x13, 0x89, 0 }, frame);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Vxlan_on_port_4789_decodes_the_packet_in_the_ethernet_frame_inside(bool innerVlan, bool innerV6)
    {
        var inner = innerV6 ? V6Tcp(Bytes(7)) : V4Tcp(Bytes(7));
        var frame = innerVlan ? Ether(EtherTypeOf(inner), inner, 0x8100) : Ether(EtherTypeOf(inner), inner);
        var decoder = new FrameDecoder();
        var d = Run(decoder, LinkType.Ethernet, Ether(0x0800, Ipv4(17, Udp(51234, 4789, Vxlan(frame)), src: "10.0.0.1", dst: "10.0.0.2")));
        AssertTheInnerTcpPacket(d, decoder, innerV6);
    }

    [Fact]
    public void Other_udp_on_port_4789_stays_udp()
    {
        var frame = Ether(0x0800, V4Tcp(Bytes(7)));
        AssertStayUdp(4789,
            Vxlan(frame, flags: 0x00),                           // no VNI: not a VXLAN header
            Vxlan(Ether(0x0806, Bytes(28))),                     // ARP between the overlay's machines
            Vxlan(frame)[..21],                                  // too short for an Ethernet header inside
            Bytes(5));
        // Only datagrams to the port are looked into: a tunnel endpoint sends from a port it picks, to 4789.
        Assert.Equal(IpProtocol.Udp, Run(LinkType.Raw, Ipv4(17, Udp(4789, 40000, Vxlan(frame)))).Protocol);
        Assert.Equal(IpProtocol.Udp, Run(LinkType.Raw, Ipv4(17, Udp(40000, 4790, Vxlan(frame)))).Protocol);
    }

    [Fact]
    public void Vxlan_nesting_counts_against_the_tunnel_depth() =>
        AssertUdpTunnelDepthIsBounded(packet => Ipv4(17, Udp(40000, 4789, Vxlan(Ether(0x0800, packet)))));

    [Fact]
    public void Tunnel_depth_is_bounded()
    {
        byte[] Nest(int depth)
        {
            var packet = V4Tcp(Bytes(2));
            for (int i = 0; i < depth; i++)
                packet = Ipv4(4, packet);
            return packet;
        }
        Assert.Equal(DecodeStatus.Transport, Run(LinkType.Raw, Nest(FrameDecoder.MaxTunnelDepth)).Status);
        var tooDeep = Run(LinkType.Raw, Nest(FrameDecoder.MaxTunnelDepth + 1));
        Assert.Equal(DecodeStatus.OtherIp, tooDeep.Status);
        Assert.Equal((IpProtocol)4, tooDeep.Protocol);
    }

    [Fact]
    public void Fragmented_outer_tunnel_reassembles_then_decodes_inside()
    {
        var decoder = new FrameDecoder();
        var inner = V6Udp(Bytes(300));
        var f1 = Ipv4(41, inner[..160], id: 3, moreFragments: true);
        var f2 = Ipv4(41, inner[160..], id: 3, fragmentOffset: 160);
        Assert.Equal(DecodeStatus.FragmentHeld, Run(decoder, LinkType.Raw, f1).Status);
        var d = Run(decoder, LinkType.Raw, f2);
        Assert.Equal(DecodeStatus.Transport, d.Status);
        Assert.Equal(Address.Parse(V6Src), d.Source.Address);
        Assert.Equal(Bytes(300), d.Payload);
    }
}
