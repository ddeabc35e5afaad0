namespace XmppSniff.Capture;

/// <summary>LINKTYPE_* values from tcpdump.org's link-layer header type registry.</summary>
public enum LinkType : ushort
{
    Null = 0,
    Ethernet = 1,
    Ppp = 9,
    RawOpenBsd = 12,
    RawBsdOs = 14,
    Raw = 101,
    CiscoHdlc = 104,
    Loop = 108,
    LinuxSll = 113,
    Ppi = 192,
    Ipv4 = 228,
    Ipv6 = 229,
    Nflog = 239,
    LinuxSll2 = 276,
}
