using System.Globalization;
using System.Runtime.InteropServices;

namespace XmppSniff.Running;

/// <summary>
/// Asks Linux for transparent huge pages (2 MiB) under the garbage collector's heap, as JVMs do where the system
/// leaves them to each program ("madvise" in /sys/kernel/mm/transparent_hugepage/enabled, Debian's default). A run
/// fills fresh heap with short-lived objects, and in 4 KiB pages each new page is a fault: 24,000 of them for
/// `stanzas` on an 88 MB capture, a sixth of its CPU time; in 2 MiB pages, 2,300 (wall time 10% less, RSS 25 MB more).
/// </summary>
internal static unsafe partial class HugeHeapPages
{
    private const int MadviseHugePage = 14;

    /// <summary>Advises the mappings that hold the heap; false where that was not done (not Linux, or refused).</summary>
    public static bool Advise()
    {
        if (!OperatingSystem.IsLinux()) return false;
        byte[] inHeap = new byte[1];
        ulong address;
        fixed (byte* p = inHeap) address = (ulong)p;
        (ulong start, ulong end) = AnonymousRunAround(address, File.ReadLines("/proc/self/maps"));
        return end > start && Madvise((void*)start, (nuint)(end - start), MadviseHugePage) == 0;
    }

    /// <summary>
    /// The run of adjacent anonymous mappings holding <paramref name="address"/>, from /proc/self/maps lines ((0, 0)
    /// if none does). The collector reserves its heap as one mapping and commits pieces of it, each then listed as a
    /// mapping of its own: the run is the heap. A neighbour (a thread's stack, a malloc arena) may join it, and then
    /// costs at most a 2 MiB page where it would have touched a few 4 KiB ones.
    /// </summary>
    internal static (ulong Start, ulong End) AnonymousRunAround(ulong address, IEnumerable<string> maps)
    {
        ulong runStart = 0, runEnd = 0;
        foreach (string line in maps)
        {
            if (!TryParse(line, out ulong start, out ulong end, out bool anonymous)) continue;
            if (anonymous && start == runEnd && runEnd != 0)
            {
                runEnd = end;
                continue;
            }
            if (runStart <= address && address < runEnd) break;
            (runStart, runEnd) = anonymous ? (start, end) : (0, 0);
        }
        return runStart <= address && address < runEnd ? (runStart, runEnd) : (0, 0);
    }

    /// <summary>One line, "start-end perms offset dev inode [name]": anonymous when it has no name (not even [stack]).</summary>
    private static bool TryParse(string line, out ulong start, out ulong end, out bool anonymous)
    {
        string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] range = fields.Length >= 5 ? fields[0].Split('-') : [];
        anonymous = fields.Length == 5 && fields[4] == "0";
        start = end = 0;
        return range.Length == 2
            && ulong.TryParse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out start)
            && ulong.TryParse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out end);
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
