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
