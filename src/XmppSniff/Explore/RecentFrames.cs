using XmppSniff.Tui.Model;

namespace XmppSniff.Explore;

/// <summary>
/// A live capture's answer to the Packets view: the bytes of the most recent frames, kept in memory
/// up to a count and a byte budget (older frames say their bytes are gone; `-w` keeps them all).
/// Written by the reading thread, read by the UI thread.
/// </summary>
internal sealed class RecentFrames(int maxFrames = 20_000, long maxBytes = 32 << 20) : ICaptureSource
{
    private readonly long[] _numbers = new long[maxFrames];
    private readonly byte[][] _data = new byte[maxFrames][];
    private readonly Lock _lock = new();
    private int _head; // slot of the oldest frame held
    private int _count;
    private long _bytes;

    public int Count
    {
        get
        {
            lock (_lock) return _count;
        }
    }

    public long Bytes
    {
        get
        {
            lock (_lock) return _bytes;
        }
    }

    /// <summary>Keeps a copy of frame <paramref name="number"/>; numbers only grow.</summary>
    public void Add(long number, ReadOnlySpan<byte> frame)
    {
        byte[] copy = frame.ToArray();
        lock (_lock)
        {
            while (_count > 0 && (_count == _numbers.Length || _bytes + copy.Length > maxBytes)) DropOldest();
            int slot = (_head + _count) % _numbers.Length;
            _numbers[slot] = number;
            _data[slot] = copy;
            _count++;
            _bytes += copy.Length;
        }
    }

    public byte[]? ReadFrame(long number, in FrameEntry entry)
    {
        lock (_lock)
        {
            // Numbers grow but may skip (frames discarded while paused): a binary search over the ring.
            int low = 0, high = _count - 1;
            while (low <= high)
            {
                int middle = (low + high) >>> 1;
                long found = _numbers[(_head + middle) % _numbers.Length];
                if (found == number) return _data[(_head + middle) % _numbers.Length];
                if (found < number) low = middle + 1;
                else high = middle - 1;
            }
            return null;
        }
    }

    public IReadOnlyList<StreamChunk> Follow(long flowId, CancellationToken cancel) =>
        throw new InvalidOperationException("a live capture cannot replay a stream here; capture with -w FILE and `xmppsniff open FILE` to follow it");

    private void DropOldest()
    {
        _bytes -= _data[_head].Length;
        _data[_head] = null!;
        _head = (_head + 1) % _numbers.Length;
        _count--;
    }
}
