using System.Buffers.Binary;

namespace XmppSniff.Capture.Decode;

/// <summary>Which network header the link layer says follows.</summary>
internal enum Network : byte
{
    Ipv4,
    Ipv6,

    /// <summary>The link layer does not say (raw IP, MPLS): the version nibble decides.</summary>
    ByVersion,
}

internal enum LinkResult : byte
{
    Ip,
    NotIp,
    Unsupported,

    /// <summary>The link header runs past the captured bytes.</summary>
    Short,

    /// <summary>No IP packet in the captured bytes; a snap length cut may have removed it.</summary>
    NoPayload,
    Malformed,
}

/// <summary>Strips link-layer headers (Ethernet and its tags, cooked, loopback, NFLOG) down to the IP header.</summary>
internal static class LinkLayer
{
    // Deeper stacks than this are not seen in practice; the bounds keep crafted frames from looping long.
    private const int MaxVlanTags = 8;
    private const int MaxMplsLabels = 16;

    public static LinkResult Locate(LinkType linkType, ReadOnlySpan<byte> data, out ReadOnlySpan<byte> network, out Network kind)
    {
        network = default;
        kind = Network.ByVersion;
        switch (linkType)
        {
            case LinkType.Ethernet:
                if (data.Length < 14)
                    return LinkResult.Short;
                return FromEtherType(BinaryPrimitives.ReadUInt16BigEndian(data[12..]), data[14..], out network, out kind);

            case LinkType.LinuxSll:
                if (data.Length < 16)
                    return LinkResult.Short;
                // The ARPHRD type (loopback, tunnel, ...) does not matter: the protocol field is an EtherType.
                return FromEtherType(BinaryPrimitives.ReadUInt16BigEndian(data[14..]), data[16..], out network, out kind);

            case LinkType.LinuxSll2:
                if (data.Length < 20)
                    return LinkResult.Short;
                return FromEtherType(BinaryPrimitives.ReadUInt16BigEndian(data), data[20..], out network, out kind);

            case LinkType.Null:
                if (data.Length < 4)
                    return LinkResult.Short;
                // The family is in the writer's byte order, which the file does not record: try both.
                return FromAddressFamily(BinaryPrimitives.ReadUInt32LittleEndian(data), data[4..], out network, out kind)
                    ?? FromAddressFamily(BinaryPrimitives.ReadUInt32BigEndian(data), data[4..], out network, out kind)
                    ?? LinkResult.NotIp;

            case LinkType.CiscoHdlc:
                // Address, control, then an EtherType.
                if (data.Length < 4)
                    return LinkResult.Short;
                return FromEtherType(BinaryPrimitives.ReadUInt16BigEndian(data[2..]), data[4..], out network, out kind);

            case LinkType.Ppp:
                // Cisco HDLC frames are stored under this type too (as Wireshark reads them): address 0x0F or 0x8F.
                if (data.Length >= 1 && data[0] is 0x0F or 0x8F)
                    return Locate(LinkType.CiscoHdlc, data, out network, out kind);
                // HDLC-framed (0xFF 0x03) or bare, then the PPP protocol number.
                int ppp = data.Length >= 2 && data[0] == 0xFF && data[1] == 0x03 ? 2 : 0;
                if (data.Length < ppp + 2)
                    return LinkResult.Short;
                return FromPppProtocol(BinaryPrimitives.ReadUInt16BigEndian(data[ppp..]), data[(ppp + 2)..], out network, out kind);

            case LinkType.Ppi:
                // Per-Packet Information: a little-endian header naming its own length and the link type inside.
                if (data.Length < 8)
                    return LinkResult.Short;
                int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(data[2..]);
                var inner = (LinkType)BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
                if (headerLength < 8 || inner == LinkType.Ppi)
                    return LinkResult.Malformed;
                if (data.Length < headerLength)
                    return LinkResult.Short;
                return Locate(inner, data[headerLength..], out network, out kind);

            case LinkType.Loop:
                if (data.Length < 4)
                    return LinkResult.Short;
                return FromAddressFamily(BinaryPrimitives.ReadUInt32BigEndian(data), data[4..], out network, out kind)
                    ?? LinkResult.NotIp;

            case LinkType.Raw:
            case LinkType.RawOpenBsd:
            case LinkType.RawBsdOs:
                network = data;
                return LinkResult.Ip;

            case LinkType.Ipv4:
                network = data;
                kind = Network.Ipv4;
                return LinkResult.Ip;

            case LinkType.Ipv6:
                network = data;
                kind = Network.Ipv6;
                return LinkResult.Ip;

            case LinkType.Nflog:
                return Nflog(data, out network, out kind);

            default:
                return LinkResult.Unsupported;
        }
    }

    private static LinkResult? FromAddressFamily(uint family, ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> network, out Network kind)
    {
        network = rest;
        switch (family)
        {
            case 2:
                kind = Network.Ipv4;
                return LinkResult.Ip;
            // AF_INET6 differs per OS: 24 NetBSD/OpenBSD, 28 FreeBSD/DragonFly, 30 macOS.
            case 24:
            case 28:
            case 30:
                kind = Network.Ipv6;
                return LinkResult.Ip;
            default:
                kind = Network.ByVersion;
                return null;
        }
    }

    /// <summary>Follows an EtherType through VLAN tags, PPPoE and MPLS to IP.</summary>
    private static LinkResult FromEtherType(ushort etherType, ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> network, out Network kind)
    {
        network = default;
        kind = Network.ByVersion;
        for (int tags = 0; ; tags++)
        {
            switch (etherType)
            {
                case 0x0800:
                    network = rest;
                    kind = Network.Ipv4;
                    return LinkResult.Ip;

                case 0x86DD:
                    network = rest;
                    kind = Network.Ipv6;
                    return LinkResult.Ip;

                case 0x8100:
                case 0x88A8:
                case 0x9100:
                    if (tags >= MaxVlanTags)
                        return LinkResult.Malformed;
                    if (rest.Length < 4)
                        return LinkResult.Short;
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
                    rest = rest[4..];
                    continue;

                case 0x8864:
                    // PPPoE session: 6-byte PPPoE header, then the 2-byte PPP protocol.
                    if (rest.Length < 8)
                        return LinkResult.Short;
                    return FromPppProtocol(BinaryPrimitives.ReadUInt16BigEndian(rest[6..]), rest[8..], out network, out kind);

                case 0x8847:
                    return Mpls(rest, out network, out kind);

                default:
                    // ARP, LLDP, 802.3 length fields (<= 1500) and the rest.
                    return LinkResult.NotIp;
            }
        }
    }

    /// <summary>PPP protocol numbers 0x0021 (IPv4) and 0x0057 (IPv6); anything else (LCP, IPCP, ...) is not IP.</summary>
    private static LinkResult FromPppProtocol(ushort protocol, ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> network, out Network kind)
    {
        network = rest;
        kind = protocol == 0x0057 ? Network.Ipv6 : Network.Ipv4;
        if (protocol is 0x0021 or 0x0057) return LinkResult.Ip;
        network = default;
        return LinkResult.NotIp;
    }

    private static LinkResult Mpls(ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> network, out Network kind)
    {
        network = default;
        kind = Network.ByVersion;
        for (int labels = 0; labels < MaxMplsLabels; labels++)
        {
            if (rest.Length < 4)
                return LinkResult.Short;
            bool bottom = (rest[2] & 0x01) != 0;
            rest = rest[4..];
            if (!bottom)
                continue;
            // MPLS does not name its payload; guess from the first nibble as routers do.
            if (rest.Length < 1)
                return LinkResult.Short;
            int version = rest[0] >> 4;
            if (version != 4 && version != 6)
                return LinkResult.NotIp; // a pseudowire control word, Ethernet over MPLS, ...
            network = rest;
            return LinkResult.Ip;
        }
        return LinkResult.Malformed;
    }

    /// <summary>NFLOG: a 4-byte header (family, version, resource id) then TLVs; type 9 holds the packet.</summary>
    private static LinkResult Nflog(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> network, out Network kind)
    {
        network = default;
        kind = Network.ByVersion;
        if (data.Length < 4)
            return LinkResult.Short;
        kind = data[0] switch
        {
            2 => Network.Ipv4,
            10 => Network.Ipv6,
            _ => Network.ByVersion,
        };
        var rest = data[4..];
        while (rest.Length > 0)
        {
            if (rest.Length < 4)
                return LinkResult.Short;
            // TLV lengths and types are in the host order of the capturing machine, in practice little-endian.
            int length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            int type = BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]) & 0x3FFF; // drop netlink flag bits
            if (length < 4)
                return LinkResult.Malformed;
            if (type == 9)
            {
                // A snap length cut leaves the payload shorter than its TLV claims; IP decides what that means.
                network = rest[4..Math.Min(length, rest.Length)];
                return LinkResult.Ip;
            }
            int padded = (length + 3) & ~3;
            if (padded > rest.Length)
                return LinkResult.Short;
            rest = rest[padded..];
        }
        return LinkResult.NoPayload; // NFLOG can log without copying the packet
    }
}
