namespace XmppSniff.Core;

/// <summary>IP protocol numbers the engine cares about (IANA values).</summary>
public enum IpProtocol : byte
{
    Icmp = 1,
    Tcp = 6,
    Udp = 17,
    Ipv6Icmp = 58,
}
