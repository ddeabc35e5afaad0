using SharpPcap;

namespace XmppSniff.Capture.Live;

/// <summary>The errors a user meets when capturing, each as one line that says what to do.</summary>
public static class LiveErrors
{
    public static LiveCaptureException LibpcapMissing(Exception inner) => new(
        "libpcap is not installed; install it (Debian/Ubuntu: apt-get install libpcap0.8) and try again", inner);

    public static LiveCaptureException NoPermission(string device, Exception? inner = null) => new(
        $"no permission to capture on {device}: run as root, or grant the capabilities once with: setcap cap_net_raw,cap_net_admin=eip {Binary()}", inner);

    public static LiveCaptureException NoSuchInterface(string name, IEnumerable<string> valid) => new(
        $"no interface named {name}; choose one of: {string.Join(", ", valid)} (see xmppsniff interfaces)");

    public static LiveCaptureException NoInterface() => new(
        "no interface is up to capture on; choose one with -i (see xmppsniff interfaces)");

    public static LiveCaptureException InterfaceDown(string name) => new(
        $"interface {name} is down: bring it up (ip link set {name} up) or choose another with -i");

    public static LiveCaptureException BadFilter(string filter, string? error) => new(
        $"bad capture filter \"{filter}\": {Clean(error) ?? "libpcap cannot compile it"} (syntax: man pcap-filter)");

    /// <summary>True when <paramref name="e"/> (or what it wraps) says the libpcap library could not be loaded.</summary>
    public static bool IsLibpcapMissing(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is DllNotFoundException or EntryPointNotFoundException) return true;
        return false;
    }

    /// <summary>Turns what libpcap said when opening a device into one of the errors above, or a plain one.</summary>
    public static LiveCaptureException FromOpen(string device, PcapException e) => e.Error switch
    {
        PcapError.PermissionDenied or PcapError.PromiscuousPermissionDenied => NoPermission(device, e),
        PcapError.InterfaceNotUp => InterfaceDown(device),
        PcapError.NoSuchDevice => new LiveCaptureException($"no interface named {device} (see xmppsniff interfaces)", e),
        _ when e.Message.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("permission", StringComparison.OrdinalIgnoreCase) => NoPermission(device, e),
        _ => new LiveCaptureException($"cannot capture on {device}: {Clean(e.Message)}", e),
    };

    /// <summary>The file that needs the capabilities: this program, or the dotnet host that runs it.</summary>
    private static string Binary()
    {
        string? path = Environment.ProcessPath;
        if (path is null) return "<path of xmppsniff>";
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    /// <summary>libpcap's messages can span lines and end in a full stop; ours are one line.</summary>
    private static string? Clean(string? message) =>
        message is null ? null : string.Join(' ', message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
