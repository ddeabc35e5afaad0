using System.IO.MemoryMappedFiles;

namespace XmppSniff.Capture.Files;

/// <summary>
/// A whole file mapped read-only, exposed as a raw pointer. Frames are spans straight into the
/// mapping (no copy); a pointer rather than one big span because spans stop at 2 GiB.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private bool _disposed;

    private MappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, byte* start, long length)
    {
        _map = map;
        _view = view;
        Start = start;
        Length = length;
    }

    public byte* Start { get; }

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
            return new MappedFile(map, view, p + view.PointerOffset, length);
        }
        catch
        {
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>A span over [offset, offset+length); the caller guarantees the range is inside the file.</summary>
    public ReadOnlySpan<byte> Span(long offset, int length) => new(Start + offset, length);

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
