namespace XmppSniff.Tui.Model;

/// <summary>
/// A list one thread appends to while another reads: items live in fixed chunks that never move,
/// and <see cref="Count"/> is published after the item is written, so a reader sees only whole items.
/// Growing never copies items (a million packets are never copied to grow the array).
/// </summary>
public sealed class AppendList<T>
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] _chunks = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>An item below <see cref="Count"/>; a reference so a struct can be updated in place by the writer.</summary>
    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return ref Volatile.Read(ref _chunks)[index >> ChunkBits][index & ChunkMask];
        }
    }

    /// <summary>Appends one item (writer thread only).</summary>
    public void Add(in T item)
    {
        int index = _count;
        int chunk = index >> ChunkBits;
        T[][] chunks = _chunks;
        if (chunk == chunks.Length)
        {
            var grown = new T[chunks.Length + 1][];
            Array.Copy(chunks, grown, chunks.Length);
            grown[chunk] = new T[ChunkSize];
            Volatile.Write(ref _chunks, grown);
            chunks = grown;
        }
        chunks[chunk][index & ChunkMask] = item;
        Volatile.Write(ref _count, index + 1);
    }
}
