namespace XmppSniff.Capture.Live;

/// <summary>One capture device as libpcap lists it (pcap_findalldevs).</summary>
public sealed record InterfaceInfo(
    string Name,
    string? Description,
    bool Up,
    bool Running,
    bool Loopback,
    bool Wireless,
    IReadOnlyList<string> Addresses,
    string? HardwareAddress)
{
    /// <summary>"any", "nflog", "dbus-system" and the like: capture points, not network interfaces.</summary>
    public bool Pseudo { get; init; }
}
