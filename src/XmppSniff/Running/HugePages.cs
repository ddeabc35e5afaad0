using System.Globalization;
using System.Runtime.InteropServices;

namespace XmppSniff.Running;

/// <summary>
/// Asks Linux to back the garbage collector's heap with 2 MiB pages (transparent huge pages, which most
/// systems give only to memory that asks). A run allocates about as much as it reads and seldom collects,
/// so nearly every allocation is memory touched for the first time: one page fault per 4 KiB, each
/// charged, zeroed and mapped by the kernel (perf, `stanzas` on an 88 MB capture: 28,600 faults, 15% of
/// the run's processor time), against one per 2 MiB (4,500 faults).
/// </summary>
internal static unsafe partial class HugePages
{
    private const int MadviseHugePage = 14;
    private const long HugePageBytes = 2 << 20;

    /// <summary>Advises the heap from where new objects go now to the end of its reservation; false if the system would not.</summary>
    public static bool ForHeap()
    {
        if (!OperatingSystem.IsLinux()) return false;
        byte[] probe = new byte[1];
        nint address;
        fixed (byte* p = probe) address = (nint)p;
        try
        {
            return HeapRange(File.ReadLines("/proc/self/maps"), address, HeapReservation()) is { } range
                && Madvise(range.Start, (nuint)(range.End - range.Start), MadviseHugePage) == 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Where to advise, given the lines of /proc/self/maps: from the 2 MiB boundary below
    /// <paramref name="address"/> (or the start of its mapping) to the end of the run of adjacent anonymous
    /// mappings it lies in, but no further than <paramref name="reserved"/> bytes past the address. The
    /// collector reserves its heap in one piece of that size and commits parts of it, which shows as such a
    /// run; memory below the address is in use already. What lies right after the reservation (another
    /// anonymous mapping, such as a malloc arena) may be advised too, which only lets it use huge pages.
    /// Null: the address is not in an anonymous mapping.
    /// </summary>
    internal static (nint Start, nint End)? HeapRange(IEnumerable<string> maps, nint address, long reserved)
    {
        long start = 0, end = 0;
        foreach (string line in maps)
        {
            if (!TryParse(line, out long from, out long to, out bool anonymous)) continue;
            if (end != 0)
            {
                if (from != end || !anonymous) break;
                end = to;
            }
            else if (anonymous && from <= address && address < to)
            {
                start = Math.Max(from, address & ~(HugePageBytes - 1));
                end = to;
            }
        }
        if (end == 0) return null;
        return ((nint)start, (nint)(end - address > reserved ? address + reserved : end));
    }

    /// <summary>The size of the collector's reservation for its heap, where it tells (regions, .NET 7 and later).</summary>
    private static long HeapReservation() =>
        GC.GetConfigurationVariables().TryGetValue("GCRegionRange", out object? size) && size is long bytes and > 0 ? bytes : long.MaxValue;

    /// <summary>A line "start-end perms offset device inode [path]"; anonymous mappings have inode 0 and no path.</summary>
    private static bool TryParse(string line, out long from, out long to, out bool anonymous)
    {
        from = to = 0;
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        anonymous = fields.Length == 5 && fields[4] == "0";
        if (fields.Length < 5 || fields[0].Split('-') is not [string low, string high]) return false;
        return long.TryParse(low, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out from)
            && long.TryParse(high, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out to);
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
