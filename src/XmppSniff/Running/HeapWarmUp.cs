namespace XmppSniff.Running;

/// <summary>
/// Commits the garbage collector's first stretch of heap in one go, before the pipeline's threads start.
/// Grown on demand, the heap is committed 64 KiB at a time, each step an mprotect and an madvise that take
/// the process's address-space lock for writing; meanwhile the other threads' page faults sleep and a core
/// idles (perf, `stanzas` on an 88 MB capture: 1,300 steps, 316 such sleeps; 9 after this). Committing is
/// not touching: resident memory does not grow.
/// </summary>
internal static class HeapWarmUp
{
    private const long FirstStretch = 128 << 20;

    /// <summary>Smaller captures are read before the steps add up to anything.</summary>
    private const long WorthFrom = 32 << 20;

    private static int _done;

    /// <summary>Once per process, for a capture of <paramref name="captureBytes"/> (0: live, not known).</summary>
    public static void For(long captureBytes)
    {
        if (captureBytes < WorthFrom || Interlocked.Exchange(ref _done, 1) != 0) return;
        Commit(Math.Min(FirstStretch, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 8));
    }

    /// <summary>Has the collector commit room for <paramref name="bytes"/> of new objects; false if it would not.</summary>
    internal static bool Commit(long bytes)
    {
        try
        {
            // The region's promise is the point: the collector commits what it promised. Nothing needs the region itself.
            if (!GC.TryStartNoGCRegion(bytes)) return false;
            GC.EndNoGCRegion();
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            // Another thread's region, a collection that ended this one, or more than this collector can promise: grow as usual.
            return false;
        }
    }
}
