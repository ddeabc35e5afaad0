using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmppSniff.Analysis.Buffers;

/// <summary>
/// Where bytes delivered to this thread's analyzers stay readable until the run ends (the mapped capture
/// file, when its bytes are replayed on an analysis thread): an analyzer may then hold such bytes by
/// reference rather than copy them. Per thread, since only the thread that set it knows where its bytes come from.
/// </summary>
public static unsafe class LastingBytes
{
    [ThreadStatic] private static byte* t_start;
    [ThreadStatic] private static long t_length;
    [ThreadStatic] private static Forget? t_forget;

    /// <summary>Where the bytes last is told that a holder read bytes a last time (and may drop them from memory).</summary>
    public delegate void Forget(ReadOnlySpan<byte> bytes);

    /// <summary>From now on, bytes in [<paramref name="start"/>, +<paramref name="length"/>) delivered on this thread last (null: none do).</summary>
    public static void OnThisThread(byte* start, long length, Forget? forget)
    {
        t_start = start;
        t_length = length;
        t_forget = forget;
    }

    /// <summary>A holder has read <paramref name="bytes"/> (lasting ones) for the last time.</summary>
    public static void DoneWith(ReadOnlySpan<byte> bytes) => t_forget?.Invoke(bytes);

    /// <summary>Whether <paramref name="bytes"/> lie where bytes last, on this thread.</summary>
    public static bool Contain(ReadOnlySpan<byte> bytes)
    {
        byte* p = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
        return t_start != null && p >= t_start && p <= t_start + t_length - bytes.Length;
    }
}
