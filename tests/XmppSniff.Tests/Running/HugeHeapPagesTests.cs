using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests.Running;

public class HugeHeapPagesTests
{
    // Shaped like this process's own maps: a malloc arena, a file, the collector's reservation in pieces
    // (committed rw-p, reserved ---p), a gap, a thread's guard page and stack, then named mappings.
    private static readonly string[] Maps =
    [
        "55c6cbeaa000-55c6cc00c000 rw-p 00000000 00:00 0                          [heap]",
        "7f87f0000000-7f87f0021000 rw-p 00000000 00:00 0 ",
        "7f87f0021000-7f87f4000000 ---p 00000000 00:00 0 ",
        "7f87f6c00000-7f87fbf84000 r--s 00000000 fe:00 5325621                    /data/capture.pcap",
        "7f880f000000-7f880f011000 rw-p 00000000 00:00 0 ",
        "7f880f011000-7f8811000000 ---p 00000000 00:00 0 ",
        "7f8811000000-7f8811069000 rw-p 00000000 00:00 0 ",
        "7f8811069000-7f93d4000000 ---p 00000000 00:00 0 ",
        "7f93d814e000-7f93d814f000 ---p 00000000 00:00 0 ",
        "7f93d814f000-7f93d8152000 rw-p 00000000 00:00 0 ",
        "7f93d8152000-7f93d8200000 r--p 00000000 fe:00 345402                     /usr/lib/libc.so.6",
        "7fffb8cc4000-7fffb8ce5000 rw-p 00000000 00:00 0                          [stack]",
    ];

    [Theory]
    [InlineData(0x7f880f000000UL)] // first piece
    [InlineData(0x7f8811000040UL)] // a committed piece in the middle
    [InlineData(0x7f93d3ffffffUL)] // last byte of the reservation
    public void The_heap_is_the_whole_run_of_adjacent_anonymous_mappings(ulong address) =>
        Assert.Equal((0x7f880f000000UL, 0x7f93d4000000UL), HugeHeapPages.AnonymousRunAround(address, Maps));

    [Fact]
    public void A_run_ends_at_a_gap_and_at_a_named_mapping()
    {
        Assert.Equal((0x7f87f0000000UL, 0x7f87f4000000UL), HugeHeapPages.AnonymousRunAround(0x7f87f0000010, Maps));
        Assert.Equal((0x7f93d814e000UL, 0x7f93d8152000UL), HugeHeapPages.AnonymousRunAround(0x7f93d8150000, Maps));
    }

    [Theory]
    [InlineData(0x55c6cbeaa010UL)] // [heap]: malloc's, named
    [InlineData(0x7f87f6c00000UL)] // a file
    [InlineData(0x7f93d4000000UL)] // the gap after the reservation
    [InlineData(0x7fffb8cc5000UL)] // [stack]
    public void Outside_anonymous_mappings_nothing_is_found(ulong address) =>
        Assert.Equal((0UL, 0UL), HugeHeapPages.AnonymousRunAround(address, Maps));

    [Fact]
    public void Lines_that_are_not_mappings_are_passed_over() =>
        Assert.Equal((0x1000UL, 0x3000UL),
            HugeHeapPages.AnonymousRunAround(0x2000, ["", "garbage", "1000-2000 rw-p 00000000 00:00 0", "zz-yy rw-p 0 00:00 0", "2000-3000 ---p 00000000 00:00 0"]));

    [Fact]
    public void On_Linux_the_mapping_holding_new_objects_is_advised()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(HugeHeapPages.Advise());

        byte[] fresh = new byte[64];
        ulong address;
        unsafe
        {
            fixed (byte* p = fresh) address = (ulong)p;
        }
        // smaps lists each mapping with its flags; "hg" is the huge-page advice.
        string? flags = null;
        bool holds = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            string[] range = line.Split(' ')[0].Split('-');
            if (range.Length == 2 && ulong.TryParse(range[0], System.Globalization.NumberStyles.HexNumber, null, out ulong start)
                && ulong.TryParse(range[1], System.Globalization.NumberStyles.HexNumber, null, out ulong end))
                holds = start <= address && address < end;
            else if (holds && line.StartsWith("VmFlags:", StringComparison.Ordinal))
                flags = line;
        }
        Assert.NotNull(flags);
        Assert.Contains(" hg", flags);
    }
}
