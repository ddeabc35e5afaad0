namespace XmppSniff.Capture.Live;

/// <summary>libpcap reports DLT_* values; files and our decoder speak LINKTYPE_*. They differ for raw IP.</summary>
public static class DataLinks
{
    public static LinkType ToLinkType(int dlt) => dlt switch
    {
        12 or 14 => LinkType.Raw, // DLT_RAW is 12 on most systems, 14 on OpenBSD; LINKTYPE_RAW is 101
        _ => (LinkType)dlt,
    };

    /// <summary>libpcap's short name for a link type, as tcpdump prints it.</summary>
    public static string Name(int dlt) => dlt switch
    {
        0 => "NULL",
        1 => "EN10MB",
        12 or 14 or 101 => "RAW",
        108 => "LOOP",
        113 => "LINUX_SLL",
        276 => "LINUX_SLL2",
        239 => "NFLOG",
        _ => ((PacketDotNet.LinkLayers)dlt).ToString(),
    };
}
