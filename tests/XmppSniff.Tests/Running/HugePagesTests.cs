using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests.Running;

public class HugePagesTests
{
    // The shape of a .NET process's map: the collector's reservation split by what it committed, a thread
    // stack's guard page and stack further on, a file mapping, a gap.
    private const string Maps = """
        55d0a0000000-55d0a0021000 r--p 00000000 fe:01 1234                       /usr/bin/xmppsniff
        7f0000000000-7f0008000000 ---p 00000000 00:00 0
        7f0008000000-7f0010000000 rw-p 00000000 00:00 0
        7f0010000000-7f0c00000000 ---p 00000000 00:00 0
        7f0c00000000-7f0c00100000 r--s 00000000 fe:01 99                         /data/capture.pcap
        7f0c00100000-7f0c00101000 ---p 00000000 00:00 0
        7f0c00101000-7f0c00200000 rw-p 00000000 00:00 0
        7f0d00000000-7f0d00001000 rw-p 00000000 00:00 0                          [heap]
        """;

    [Fact]
    public void The_reservation_is_every_adjacent_anonymous_mapping_around_the_address() =>
        Assert.Equal((0x7f0000000000UL, 0x7f0c00000000UL), HugePages.ReservationAround(Maps, 0x7f0008000100));

    [Fact]
    public void A_file_mapping_ends_the_run_and_a_gap_does_too()
    {
        Assert.Equal((0x7f0c00100000UL, 0x7f0c00200000UL), HugePages.ReservationAround(Maps, 0x7f0c00150000));
        Assert.Null(HugePages.ReservationAround(Maps, 0x7f0c00000010)); // in the file
        Assert.Null(HugePages.ReservationAround(Maps, 0x7f0c80000000)); // in no mapping
        Assert.Null(HugePages.ReservationAround(Maps, 0x7f0d00000010)); // named: the C heap
    }

    [Fact]
    public void The_heap_holding_new_objects_is_marked_for_huge_pages()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/sys/kernel/mm/transparent_hugepage/enabled")) return; // no THP in this kernel
        Assert.True(HugePages.AdviseHeap());
        ulong address = AddressOf(new byte[16]);
        string[] smaps = File.ReadAllLines("/proc/self/smaps");
        int at = Array.FindIndex(smaps, line => Range(line) is var (start, end) && start <= address && address < end);
        Assert.True(at >= 0, "no mapping holds a new object");
        string flags = smaps.Skip(at + 1).First(line => line.StartsWith("VmFlags:", StringComparison.Ordinal));
        Assert.Contains(" hg", flags); // MADV_HUGEPAGE
    }

    private static unsafe ulong AddressOf(byte[] array)
    {
        fixed (byte* p = array) return (ulong)p;
    }

    private static (ulong, ulong)? Range(string line)
    {
        int dash = line.IndexOf('-'), space = line.IndexOf(' ');
        if (dash <= 0 || space < dash) return null;
        return ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, null, out ulong start)
            && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, null, out ulong end)
            ? (start, end) : null;
    }
}
