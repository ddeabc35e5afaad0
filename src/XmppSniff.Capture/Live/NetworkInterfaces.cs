using System.Net.NetworkInformation;
using SharpPcap;
using SharpPcap.LibPcap;

namespace XmppSniff.Capture.Live;

/// <summary>The devices libpcap can capture on, and the default choice among them.</summary>
public static class NetworkInterfaces
{
    // pcap_findalldevs flags (pcap/pcap.h).
    private const uint Loopback = 0x1;
    private const uint Up = 0x2;
    private const uint Running = 0x4;
    private const uint Wireless = 0x8;
    private const uint ConnectionStatus = 0x30;
    private const uint StatusNotApplicable = 0x30;

    /// <summary>Lists the devices; throws <see cref="LiveCaptureException"/> when libpcap is missing.</summary>
    public static IReadOnlyList<InterfaceInfo> List() => Guard(() => LibPcapLiveDeviceList.New().Select(Describe).ToList());

    /// <summary>tcpdump's default: the first device that is up and running, not loopback, and a real interface.</summary>
    public static InterfaceInfo? Default(IReadOnlyList<InterfaceInfo> all) =>
        all.FirstOrDefault(i => i.Up && i.Running && !i.Loopback && !i.Pseudo);

    /// <summary>
    /// The link type of <paramref name="name"/> as libpcap reports it once open (needs the rights to
    /// capture); null when it cannot be opened.
    /// </summary>
    public static int? DataLink(string name)
    {
        try
        {
            using var device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == name);
            if (device is null) return null;
            device.Open(new DeviceConfiguration { Snaplen = 64, ReadTimeout = 1 });
            return (int)device.LinkType;
        }
        catch (PcapException)
        {
            return null;
        }
    }

    /// <summary>Runs a libpcap call, turning a missing library into its one-line error.</summary>
    internal static T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (LiveErrors.IsLibpcapMissing(e))
        {
            throw LiveErrors.LibpcapMissing(e);
        }
    }

    private static InterfaceInfo Describe(LibPcapLiveDevice device)
    {
        uint flags = device.Flags;
        var addresses = new List<string>();
        string? hardware = null;
        foreach (PcapAddress a in device.Addresses)
        {
            if (a.Addr?.ipAddress is { } ip) addresses.Add(ip.ToString());
            else if (a.Addr?.hardwareAddress is { } mac && mac.GetAddressBytes().Length > 0) hardware ??= FormatMac(mac);
        }
        return new InterfaceInfo(device.Name, device.Description, (flags & Up) != 0, (flags & Running) != 0,
            (flags & Loopback) != 0, (flags & Wireless) != 0, addresses, hardware)
        {
            Pseudo = (flags & ConnectionStatus) == StatusNotApplicable && (flags & Loopback) == 0,
        };
    }

    private static string FormatMac(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2")));
}
