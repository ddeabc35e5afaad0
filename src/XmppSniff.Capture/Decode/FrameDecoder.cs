using XmppSniff.Core;

namespace XmppSniff.Capture.Decode;

/// <summary>
/// Turns a raw frame into a <see cref="Packet"/>: link layer, IPv4/IPv6 (through IP-in-IP, GRE (bridged and ERSPAN-mirrored frames too), GTP-U and VXLAN tunnels), TCP/UDP,
/// with IPv4 and IPv6 fragments reassembled. Stateful only for fragments. Never throws on bad bytes, and allocates
/// nothing unless a frame is a fragment.
/// </summary>
public sealed class FrameDecoder
{
    /// <summary>Tunnels nested deeper than this are reported as OtherIp rather than followed.</summary>
    public const int MaxTunnelDepth = 4;

    /// <summary>Datagrams held for reassembly at most; a new one evicts the oldest.</summary>
    public const int MaxPendingDatagrams = Defragmenter.MaxPending;

    private readonly Defragmenter _defragmenter;

    public FrameDecoder() => _defragmenter = new Defragmenter(Counters);

    public DecodeCounters Counters { get; } = new();

    /// <summary>Datagrams waiting for more fragments.</summary>
    public int PendingDatagrams => _defragmenter.PendingCount;

    /// <summary>
    /// Decodes one frame. For Transport and OtherIp the packet is filled; its spans point into the frame, or into a
    /// reassembly buffer that stays valid until the next call.
    /// </summary>
    public DecodeStatus Decode(in RawFrame frame, out Packet packet)
    {
        packet = default;
        packet.Number = frame.Number;
        packet.Time = frame.Time;
        packet.FrameLength = frame.OriginalLength;

        Counters.Frames++;
        Counters.CountLinkType(frame.LinkType);
        var status = DecodeFrame(frame.LinkType, frame.Data, frame.Data.Length < frame.OriginalLength, frame.Time, ref packet);
        Counters.CountStatus(status);
        return status;
    }

    private DecodeStatus DecodeFrame(LinkType linkType, ReadOnlySpan<byte> data, bool cut, long time, ref Packet packet)
    {
        switch (LinkLayer.Locate(linkType, data, out var network, out var kind))
        {
            case LinkResult.Ip:
                return DecodeIp(network, kind, cut, 0, time, ref packet);
            case LinkResult.NotIp:
                return DecodeStatus.NotIp;
            case LinkResult.Unsupported:
                return DecodeStatus.UnsupportedLinkType;
            case LinkResult.Short:
                return Transport.Short(true, cut);
            case LinkResult.NoPayload:
                return cut ? DecodeStatus.Truncated : DecodeStatus.NotIp;
            default:
                return DecodeStatus.Malformed;
        }
    }

    /// <param name="cut">Whether the snap length cut these bytes (false for reassembled datagrams).</param>
    /// <param name="depth">0 for the outermost IP header, then one more per tunnel.</param>
    private DecodeStatus DecodeIp(ReadOnlySpan<byte> data, Network kind, bool cut, int depth, long time, ref Packet packet)
    {
        if (kind == Network.ByVersion)
        {
            if (data.Length < 1)
                return Transport.Short(true, cut);
            int version = data[0] >> 4;
            if (version != 4 && version != 6)
                return DecodeStatus.Malformed;
            kind = version == 4 ? Network.Ipv4 : Network.Ipv6;
        }

        bool v6 = kind == Network.Ipv6;
        IpLayer ip;
        var result = v6 ? Ipv6.Parse(data, out ip) : Ipv4.Parse(data, out ip);
        if (result == IpResult.Short)
            return Transport.Short(true, cut);
        if (result == IpResult.Malformed)
            return DecodeStatus.Malformed;

        if (depth == 0)
        {
            if (v6)
                Counters.Ipv6++;
            else
                Counters.Ipv4++;
        }
        packet.Source = new Endpoint(ip.Source, 0);
        packet.Destination = new Endpoint(ip.Destination, 0);
        packet.Protocol = (IpProtocol)ip.Protocol;

        if (!ip.IsFragment)
            return DecodeUpper(ip.Protocol, ip.Payload, ip.PayloadLength, cut, depth, time, ref packet);

        switch (_defragmenter.Add(ip, v6, time, out var whole, out byte protocol))
        {
            case FragmentResult.Held:
                return DecodeStatus.FragmentHeld;
            case FragmentResult.Cut:
                return Transport.Short(true, cut); // the IP length is more than the frame holds
            case FragmentResult.Dropped:
                return DecodeStatus.Malformed;
        }

        if (!v6)
            return DecodeUpper(protocol, whole, whole.Length, false, depth, time, ref packet);

        // The reassembled IPv6 payload may start with more extension headers (those after the fragment header).
        var inner = default(IpLayer);
        inner.Protocol = protocol;
        inner.Payload = whole;
        inner.PayloadLength = whole.Length;
        if (Ipv6.SkipExtensions(ref inner) != IpResult.Ok || inner.IsFragment)
            return DecodeStatus.Malformed;
        return DecodeUpper(inner.Protocol, inner.Payload, inner.PayloadLength, false, depth, time, ref packet);
    }

    private DecodeStatus DecodeUpper(byte protocol, ReadOnlySpan<byte> payload, int claimed, bool cut, int depth, long time, ref Packet packet)
    {
        packet.Protocol = (IpProtocol)protocol;
        DecodeStatus status;
        switch (protocol)
        {
            case 6:
                status = Transport.Tcp(payload, claimed, cut, ref packet);
                if (status == DecodeStatus.Transport)
                    Counters.Tcp++;
                return status;

            case 17:
                status = Transport.Udp(payload, claimed, cut, ref packet);
                if (status == DecodeStatus.Transport && depth < MaxTunnelDepth && DecodeUdpTunnel(cut, depth, time, ref packet) is { } tunnelled)
                    return tunnelled;
                if (status == DecodeStatus.Transport)
                    Counters.Udp++;
                return status;

            case 4:
            case 41:
                if (depth < MaxTunnelDepth)
                    return DecodeIp(payload, protocol == 4 ? Network.Ipv4 : Network.Ipv6, cut, depth + 1, time, ref packet);
                break;

            case 47:
                if (depth < MaxTunnelDepth)
                {
                    // Other GRE payloads (PPTP, a frame that is not IP, ...) stay OtherIp.
                    DecodeStatus? inside = Gre.Parse(payload, claimed, out var inner, out var kind) switch
                    {
                        IpResult.Ok when kind == GrePayload.Ethernet => DecodeEthernet(inner, cut, depth, time, ref packet),
                        IpResult.Ok => DecodeIp(inner, kind == GrePayload.Ipv4 ? Network.Ipv4 : Network.Ipv6, cut, depth + 1, time, ref packet),
                        IpResult.Short => Transport.Short(true, cut),
                        _ => null,
                    };
                    if (inside is { } unwrapped)
                        return unwrapped;
                }
                break;

            case 1:
            case 58:
                Counters.Icmp++;
                break;
        }

        packet.Payload = payload;
        packet.PayloadLength = claimed;
        return DecodeStatus.OtherIp;
    }

    /// <summary>The IP packet in an Ethernet frame a tunnel carries; null when the frame holds something else (ARP, ...).</summary>
    private DecodeStatus? DecodeEthernet(ReadOnlySpan<byte> frame, bool cut, int depth, long time, ref Packet packet) =>
        LinkLayer.Locate(LinkType.Ethernet, frame, out var network, out var kind) switch
        {
            LinkResult.Ip => DecodeIp(network, kind, cut, depth + 1, time, ref packet),
            LinkResult.Short => Transport.Short(true, cut),
            _ => null,
        };

    /// <summary>
    /// The packet inside a UDP tunnel (GTP-U's subscriber packet, VXLAN's Ethernet frame) when the datagram in
    /// <paramref name="packet"/> is one; null when it is plain UDP (anything else on the ports, a frame inside that is not IP).
    /// </summary>
    private DecodeStatus? DecodeUdpTunnel(bool cut, int depth, long time, ref Packet packet)
    {
        if (packet.Source.Port == Gtp.UserPlanePort || packet.Destination.Port == Gtp.UserPlanePort)
        {
            return Gtp.Parse(packet.Payload, packet.PayloadLength, out var inner) switch
            {
                IpResult.Ok => DecodeIp(inner, Network.ByVersion, cut, depth + 1, time, ref packet),
                IpResult.Short => Transport.Short(true, cut),
                _ => null,
            };
        }
        if (packet.Destination.Port != Vxlan.Port) return null;
        return Vxlan.Parse(packet.Payload, packet.PayloadLength, out var frame) switch
        {
            IpResult.Ok => DecodeEthernet(frame, cut, depth, time, ref packet), // ARP and the like inside: the datagram stays UDP
            IpResult.Short => Transport.Short(true, cut),
            _ => null,
        };
    }
}
