namespace XmppSniff.Tui.Model;

/// <summary>
/// A list one thread appends to while another reads: items live in fixed chunks that never move,
/// and <see cref="Count"/> is published after the item is written, so a reader sees only whole items.
/// Growing never copies items (a million packets are never copied to grow the array).
/// A live capture bounds it with <see cref="DropOldest"/>: indexes stay absolute, the oldest whole
/// chunks are released, and <see cref="First"/> says where the items still held begin.
/// </summary>
public sealed class AppendList<T>(int chunkBits = 16)
{
    private readonly int _chunkBits = chunkBits;
    private readonly int _chunkSize = 1 << chunkBits;
    private readonly int _chunkMask = (1 << chunkBits) - 1;

    private T[][] _chunks = [];
    private int _count;
    private int _first;
    private int _freedChunks;

    /// <summary>One past the last index: the number of items ever added (dropped ones included).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The first index still held: how many of the oldest items were dropped (0 unless bounded).</summary>
    public int First => Volatile.Read(ref _first);

    /// <summary>How many items are held.</summary>
    public int Held => Count - First;

    /// <summary>
    /// Drops the oldest whole chunks while more than <paramref name="keep"/> items would remain
    /// (writer thread only). A chunk's memory is released one call later, so a reader that read
    /// <see cref="First"/> just before it moved still finds its items.
    /// </summary>
    public int DropOldest(int keep)
    {
        int first = _first, count = _count;
        int target = first;
        while (count - (target + _chunkSize) >= keep) target += _chunkSize;
        T[][] chunks = _chunks;
        // Release what the previous call dropped; what this one drops stays readable until the next.
        int freeUpTo = first >> _chunkBits;
        for (int c = _freedChunks; c < freeUpTo; c++) chunks[c] = null!;
        _freedChunks = Math.Max(_freedChunks, freeUpTo);
        if (target == first) return 0;
        Volatile.Write(ref _first, target);
        return target - first;
    }

    /// <summary>An item below <see cref="Count"/>; a reference so a struct can be updated in place by the writer.</summary>
    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            T[] chunk = Volatile.Read(ref _chunks)[index >> _chunkBits] ?? throw new ArgumentOutOfRangeException(nameof(index), "dropped");
            return ref chunk[index & _chunkMask];
        }
    }

    /// <summary>Appends one item (writer thread only).</summary>
    public void Add(in T item)
    {
        int index = _count;
        int chunk = index >> _chunkBits;
        T[][] chunks = _chunks;
        if (chunk == chunks.Length)
        {
            var grown = new T[chunks.Length + 1][];
            Array.Copy(chunks, grown, chunks.Length);
            grown[chunk] = new T[_chunkSize];
            Volatile.Write(ref _chunks, grown);
            chunks = grown;
        }
        chunks[chunk][index & _chunkMask] = item;
        Volatile.Write(ref _count, index + 1);
    }
}
