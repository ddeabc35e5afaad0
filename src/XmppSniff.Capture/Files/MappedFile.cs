using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace XmppSniff.Capture.Files;

/// <summary>
/// A whole file mapped read-only, exposed as a raw pointer. Frames are spans straight into the
/// mapping (no copy); a pointer rather than one big span because spans stop at 2 GiB.
/// </summary>
internal sealed unsafe partial class MappedFile : IDisposable
{
    /// <summary>
    /// Pages this far behind the read position (and before what the pipeline is done with, see <see cref="ConsumedBefore"/>)
    /// are handed back, a step at a time, so resident memory stays flat however big the file.
    /// </summary>
    private const long ReleaseStep = 2 << 20;

    /// <summary>
    /// The file is asked for this far ahead of the read position, in steps of <see cref="PrefetchStep"/>. The kernel's
    /// read-ahead for a mapping makes the reader wait for each piece; pages of a capture that left the page cache
    /// (reclaimed since it was last read) are then read while the pipeline works on the ones before them (`stanzas` on
    /// an 88 MB capture not in the cache: 0.41-0.48 s before, 0.30-0.35 s after; in the cache, no change).
    /// </summary>
    private const long PrefetchAhead = 32 << 20;

    /// <summary>Per request: the kernel reads no more at a time than the device's read-ahead or largest transfer (8 and 4 MiB here).</summary>
    private const long PrefetchStep = 4 << 20;

    private const int MadviseSequential = 2;
    private const int MadviseWillNeed = 3;
    private const int MadviseDontNeed = 4;
    private static readonly bool CanAdvise = OperatingSystem.IsLinux();

    private readonly MemoryMappedFile _map;
    private readonly SafeFileHandle _file;
    private readonly byte* _mapping;
    private long _releasedTo;
    private long _prefetchedTo;
    private long _consumedBefore = long.MaxValue;
    private readonly MemoryMappedViewAccessor _view;
    private bool _disposed;

    private MappedFile(MemoryMappedFile map, SafeFileHandle file, MemoryMappedViewAccessor view, byte* mapping, long pointerOffset, long length)
    {
        _map = map;
        _file = file;
        _view = view;
        _mapping = mapping;
        Start = mapping + pointerOffset;
        Length = length;
        Advise(0, At(length), MadviseSequential);
    }

    public byte* Start { get; }

    /// <summary>The file position before which pages were handed back.</summary>
    internal long ReleasedBefore => _releasedTo;

    /// <summary>The file position up to which the file was asked for ahead of the reader.</summary>
    internal long PrefetchedTo => _prefetchedTo;

    public long Length { get; }

    /// <summary>Maps the whole of <paramref name="stream"/> (and takes it over); the caller has checked that it is not empty.</summary>
    public static MappedFile Open(FileStream stream)
    {
        long length = stream.Length;
        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(
            stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            // The view may start before offset 0 because of page alignment.
            return new MappedFile(map, stream.SafeFileHandle, view, p, view.PointerOffset, length);
        }
        catch
        {
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The mapping: bytes inside it are readable until it is disposed (a page handed back
    /// too early would be mapped again from the page cache, but see <see cref="ConsumedBefore"/>).
    /// </summary>
    public KeptBytes Kept => new(Start, Length);

    /// <summary>
    /// From now on pages are handed back only before <paramref name="offset"/>: whoever was given spans of the
    /// mapping (possibly on other threads) still reads those after it. Offsets only grow.
    /// </summary>
    public void ConsumedBefore(long offset) => Volatile.Write(ref _consumedBefore, offset);

    /// <summary>Where <paramref name="bytes"/> lie in the file, if they lie in the mapping.</summary>
    public bool TryLocate(ReadOnlySpan<byte> bytes, out long position)
    {
        position = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(bytes)) - Start;
        return Kept.Contain(bytes);
    }

    /// <summary>Reads the file again (through the page cache, not the mapping: pages behind the reader were handed back).</summary>
    public void Read(long position, Span<byte> into)
    {
        while (!into.IsEmpty)
        {
            int read = RandomAccess.Read(_file, into, position);
            if (read == 0) throw new EndOfStreamException($"the capture file ended at {position} while reading it again");
            into = into[read..];
            position += read;
        }
    }

    /// <summary>A span over [offset, offset+length); the caller guarantees the range is inside the file.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length)
    {
        if (offset + PrefetchAhead - PrefetchStep >= _prefetchedTo && _prefetchedTo < Length) Prefetch(offset);
        long safe = Math.Min(offset - ReleaseStep, Volatile.Read(ref _consumedBefore));
        if (safe - _releasedTo > ReleaseStep) ReleaseBefore(safe);
        return new(Start + offset, length);
    }

    /// <summary>
    /// Drops the mapped pages before <paramref name="offset"/> from this process (they stay in the page
    /// cache): reading is forward-only, and a mapped file otherwise counts whole in resident memory.
    /// </summary>
    private void ReleaseBefore(long offset)
    {
        // Whole pages only: the page holding the offset is still being read.
        Advise(PageOf(At(_releasedTo)), PageOf(At(offset)), MadviseDontNeed);
        _releasedTo = offset;
    }

    /// <summary>Has the kernel start reading what is not in the page cache up to <see cref="PrefetchAhead"/> past <paramref name="offset"/>.</summary>
    private void Prefetch(long offset)
    {
        long from = Math.Max(_prefetchedTo, offset);
        for (; from < Length && from < offset + PrefetchAhead; from += PrefetchStep)
            Advise(PageOf(At(from)), At(Math.Min(Length, from + PrefetchStep)), MadviseWillNeed);
        _prefetchedTo = Math.Min(from, Length); // in whole steps: one request each time the reader has moved one on
    }

    /// <summary>Gives the kernel <paramref name="advice"/> on the mapping's bytes [begin, end), begin at a page.</summary>
    private void Advise(long begin, long end, int advice)
    {
        if (CanAdvise && end > begin) _ = Madvise(_mapping + begin, (nuint)(end - begin), advice);
    }

    /// <summary>Where file position <paramref name="position"/> lies in the mapping, which may start before the file.</summary>
    private long At(long position) => Start - _mapping + position;

    private static long PageOf(long at) => at & ~(Environment.SystemPageSize - 1L);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(byte* address, nuint length, int advice);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
