using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests.Running;

public class HugePagesTests
{
    private static readonly string[] Maps =
    [
        "55d0a0000000-55d0a0400000 r-xp 00000000 fd:01 1234 /usr/bin/xmppsniff",
        "7f0000000000-7f0000800000 rw-p 00000000 00:00 0 ",
        "7f0000800000-7f0001000000 ---p 00000000 00:00 0",
        "7f0001000000-7f0040000000 ---p 00000000 00:00 0",
        "7f0040000000-7f0040100000 rw-p 00000000 00:00 0",
        "7f0040200000-7f0040300000 rw-p 00000000 00:00 0",
        "7f0050000000-7f0050100000 rw-p 00000000 00:00 0",
        "7f0050100000-7f0050200000 r--s 00000000 fd:01 99 /data/capture.pcap",
        "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]",
    ];

    [Fact]
    public void The_range_runs_from_the_boundary_below_the_address_across_adjacent_anonymous_mappings_to_a_gap() =>
        Assert.Equal((At(0x7f0000600000), At(0x7f0040100000)), HugePages.HeapRange(Maps, At(0x7f00006abcd0), long.MaxValue));

    [Fact]
    public void The_range_stops_at_a_file_mapping_and_starts_no_lower_than_its_own_mapping() =>
        Assert.Equal((At(0x7f0050000000), At(0x7f0050100000)), HugePages.HeapRange(Maps, At(0x7f0050000010), long.MaxValue));

    [Fact]
    public void The_range_ends_no_further_past_the_address_than_the_heap_is_reserved() =>
        Assert.Equal((At(0x7f0000600000), At(0x7f0010000000)), HugePages.HeapRange(Maps, At(0x7f0000700000), 0xf900000));

    [Theory]
    [InlineData(0x55d0a0001000)] // the program's code
    [InlineData(0x7f0040150000)] // between mappings
    [InlineData(0x7ffd00001000)] // a named pseudo-mapping
    public void An_address_outside_anonymous_mappings_has_no_range(long address) =>
        Assert.Null(HugePages.HeapRange(Maps, At(address), long.MaxValue));

    [Fact]
    public void Where_the_kernel_has_huge_pages_the_heap_the_next_objects_go_to_is_marked_for_them()
    {
        bool kernelHasThem = Directory.Exists("/sys/kernel/mm/transparent_hugepage");
        Assert.Equal(kernelHasThem, HugePages.ForHeap());
        if (!kernelHasThem) return;

        byte[] next = new byte[64];
        string flags = VmFlagsOf(next);
        Assert.Contains(" hg", flags); // VM_HUGEPAGE, as set by madvise(MADV_HUGEPAGE)
    }

    private static nint At(long address) => (nint)address;

    private static unsafe string VmFlagsOf(byte[] array)
    {
        nint address;
        fixed (byte* p = array) address = (nint)p;
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            string[] fields = line.Split(' ', 2);
            if (fields[0].Contains('-') && !fields[0].EndsWith(':'))
            {
                string[] bounds = fields[0].Split('-');
                inside = Convert.ToInt64(bounds[0], 16) <= address && address < Convert.ToInt64(bounds[1], 16);
            }
            else if (inside && fields[0] == "VmFlags:") return line;
        }
        throw new InvalidOperationException("no mapping holds the array");
    }
}
