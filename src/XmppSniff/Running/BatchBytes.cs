using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmppSniff.Running;

/// <summary>
/// The bytes a batch carries from one thread to another: pointed to where the reader keeps them (the mapped
/// capture file, see <see cref="Capture.Files.ICaptureReader.Kept"/>), else copied into one buffer. Both count
/// toward the batch's size, so a batch spans a bounded stretch of the file, which the reader keeps mapped for it.
/// </summary>
internal sealed unsafe class BatchBytes(int startBytes)
{
    // Uninitialized: bytes are written before they are read, and zeroing them would fault in every page at start.
    private byte[] _copies = GC.AllocateUninitializedArray<byte>(startBytes);
    private int _copied;

    /// <summary>Bytes carried, pointed to and copied.</summary>
    public int Count { get; private set; }

    /// <summary>Whether <paramref name="length"/> more bytes would take the batch past its size.</summary>
    public bool WouldOverflow(int length) => Count + length > _copies.Length;

    /// <summary>Keeps <paramref name="data"/>; returns where to find it again with <see cref="Get"/>.</summary>
    /// <param name="kept">The reader keeps the bytes where they are: pointed to, not copied.</param>
    public (nint Address, int Offset) Add(ReadOnlySpan<byte> data, bool kept)
    {
        Count += data.Length;
        if (kept) return ((nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(data)), 0);
        if (_copied + data.Length > _copies.Length) Array.Resize(ref _copies, _copied + data.Length);
        data.CopyTo(_copies.AsSpan(_copied));
        _copied += data.Length;
        return (0, _copied - data.Length);
    }

    /// <summary>Bytes kept by <see cref="Add"/>; valid until <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Get(nint address, int offset, int length) =>
        address != 0 ? new ReadOnlySpan<byte>((void*)address, length) : _copies.AsSpan(offset, length);

    public void Clear()
    {
        Count = _copied = 0;
        // A large delivery (a filled hole releasing megabytes) grew the buffer: give that memory back.
        if (_copies.Length > 4 * startBytes) _copies = GC.AllocateUninitializedArray<byte>(startBytes);
    }
}
