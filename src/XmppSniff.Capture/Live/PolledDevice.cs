using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace XmppSniff.Capture.Live;

/// <summary>
/// A libpcap device read in non-blocking mode, with our own wait for readability. libpcap 1.10 on
/// Linux never returns from a blocking read until a packet comes (its read timeout only paces
/// TPACKET_V3 blocks, and immediate mode has none), so a capture could not notice that the wire
/// is quiet, nor that it was asked to stop.
/// </summary>
internal sealed partial class PolledDevice(PcapInterface pcapInterface) : LibPcapLiveDevice(pcapInterface)
{
    private const short PollIn = 0x1;

    /// <summary>Waits until the kernel holds a packet or <paramref name="timeout"/> passes; true if one may be there.</summary>
    public unsafe bool WaitReadable(TimeSpan timeout)
    {
        if (FileDescriptor < 0)
        {
            Thread.Sleep(timeout); // no selectable descriptor (not Linux): look again later
            return true;
        }
        var fd = new PollFd { Fd = FileDescriptor, Events = PollIn };
        int ready = Poll(&fd, 1, (int)timeout.TotalMilliseconds);
        return ready != 0; // an interrupted wait (-1, EINTR) just reads again
    }

    /// <summary>
    /// libpcap's counters (pcap_stats), read here because SharpPcap 6.3.1 declares struct pcap_stat
    /// with pointer-sized fields where libpcap has 32-bit ones: on 64-bit Linux its drop count
    /// reads the wrong bytes and is always 0. Null when libpcap cannot give them.
    /// </summary>
    public unsafe LiveStatistics? ReadStatistics()
    {
        if (PcapStats is null || !Opened) return null;
        var stat = stackalloc uint[8]; // pcap_stat: ps_recv, ps_drop, ps_ifdrop (u_int each), plus room for Windows' extra field
        if (PcapStats(Handle.DangerousGetHandle(), stat) != 0) return null;
        return new LiveStatistics(stat[0], stat[1], stat[2]);
    }

    private static readonly unsafe delegate* unmanaged<IntPtr, uint*, int> PcapStats = FindPcapStats();

    private static unsafe delegate* unmanaged<IntPtr, uint*, int> FindPcapStats()
    {
        // The names SharpPcap's own resolver tries; the library is loaded already, so this finds the same one.
        foreach (string name in (string[])["libpcap.so", "libpcap.so.0", "libpcap.so.0.8", "libpcap.so.1", "libpcap.dylib", "wpcap"])
            if (NativeLibrary.TryLoad(name, out IntPtr library) && NativeLibrary.TryGetExport(library, "pcap_stats", out IntPtr stats))
                return (delegate* unmanaged<IntPtr, uint*, int>)stats;
        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeout);
}
