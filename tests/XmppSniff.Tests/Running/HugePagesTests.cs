using System.Globalization;
using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests.Running;

public class HugePagesTests
{
    // A listing as Linux writes it: the collector's reservation is the committed part and the reserved part after it.
    private static readonly string[] Maps =
    [
        "00400000-01b5b000 r-xp 00000000 08:01 1234                               /usr/bin/xmppsniff",
        "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 ",
        "7f0000100000-7f0004000000 rw-p 00000000 00:00 0",
        "7f0004000000-7f0100000000 ---p 00000000 00:00 0",
        "7f0100000000-7f0100001000 r--p 00000000 08:01 99                         /usr/lib/libc.so.6",
        "7f0100001000-7f0100002000 rw-p 00000000 00:00 0                          [anon:glibc]",
        "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]",
    ];

    [Theory]
    [InlineData(0x7f0000100000L)]
    [InlineData(0x7f0002345678L)]
    [InlineData(0x7f00ffffffffL)]
    public void The_run_of_adjacent_anonymous_mappings_around_the_address_is_found(long address) =>
        Assert.Equal((0x7f0000100000L, 0x7f0100000000L), HugePages.AnonymousRunAround(Maps, address));

    [Fact]
    public void A_separate_anonymous_mapping_is_a_run_of_its_own() =>
        Assert.Equal((0x7f0000000000L, 0x7f0000021000L), HugePages.AnonymousRunAround(Maps, 0x7f0000000100L));

    [Theory]
    [InlineData(0x00400000L)] // a file
    [InlineData(0x7f0000050000L)] // a hole
    [InlineData(0x7f0100001000L)] // named
    [InlineData(0x7ffc00000100L)] // the stack
    [InlineData(0x7fff00000000L)] // past the end
    public void Files_names_and_holes_are_not_the_heap(long address) =>
        Assert.Null(HugePages.AnonymousRunAround(Maps, address));

    [Fact]
    public void The_heap_holding_new_objects_is_marked_for_huge_pages()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(HugePages.ForGcHeap());

        long address = AddressOf(new byte[100]);
        // smaps: each mapping's header line, then fields; "VmFlags: ... hg" is the advice taken.
        string? flags = null;
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            if (TryRange(line, out long start, out long end)) inside = start <= address && address < end;
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal)) flags = line;
        }
        Assert.NotNull(flags);
        Assert.Contains(" hg", flags);
    }

    /// <summary>A mapping's header line ("7f00...-7f01... rw-p ..."), not one of its fields ("Size: 4 kB").</summary>
    private static bool TryRange(string line, out long start, out long end)
    {
        start = end = 0;
        string[] range = line.Split(' ')[0].Split('-');
        return range.Length == 2
            && long.TryParse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out start)
            && long.TryParse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out end);
    }

    private static unsafe long AddressOf(byte[] array)
    {
        fixed (byte* p = array) return (long)p;
    }
}
