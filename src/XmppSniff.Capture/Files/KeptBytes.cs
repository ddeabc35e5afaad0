using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmppSniff.Capture.Files;

/// <summary>
/// Where a reader keeps bytes readable until it is disposed (a mapped file), as a value: other threads
/// copy it once and ask it per packet without touching the reader, whose fields change with every frame
/// (asking the reader would pull its cache line across cores each time). The default keeps nothing.
/// </summary>
public readonly unsafe struct KeptBytes(byte* start, long length)
{
    /// <summary>Whether <paramref name="bytes"/> lie inside the kept region.</summary>
    public bool Contain(ReadOnlySpan<byte> bytes)
    {
        byte* p = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes));
        return start != null && p >= start && p <= start + length - bytes.Length;
    }
}
