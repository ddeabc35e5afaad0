using System.Buffers;

namespace XmppSniff.Analysis.Buffers;

/// <summary>
/// Bytes appended at the end and consumed from the front, in one pooled buffer that grows as needed.
/// Where its arrays come from and go is for a subclass to choose (<see cref="Rent"/>, <see cref="Return"/>).
/// </summary>
public class ByteQueue
{
    private byte[] _buffer = [];
    private int _start;

    /// <summary>The buffer's front was taken (<see cref="TakeFront"/>): it stays readable until <see cref="Consume"/>.</summary>
    private bool _taken;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, Length);

    public void Append(ReadOnlySpan<byte> data) => data.CopyTo(AppendSpan(data.Length));

    /// <summary><paramref name="length"/> bytes added at the end, for the caller to fill at once.</summary>
    public Span<byte> AppendSpan(int length)
    {
        Reserve(length);
        Length += length;
        return _buffer.AsSpan(_start + Length - length, length);
    }

    /// <summary>Makes room for <paramref name="more"/> bytes at the end, so that appending them moves nothing.</summary>
    public void Reserve(int more)
    {
        if (_start + Length + more <= _buffer.Length) return;
        // Compact in place when that makes room, else move to a bigger buffer.
        byte[] target = _buffer.Length >= Length + more
            ? _buffer
            : Rent(Math.Max(Length + more, 2 * _buffer.Length));
        Span.CopyTo(target);
        if (target != _buffer) ReturnBuffer();
        _buffer = target;
        _start = 0;
    }

    /// <summary>
    /// The first <paramref name="length"/> bytes as memory of the caller's own, without a copy: the buffer is the
    /// caller's from now on (see <see cref="Taken"/>). They stay readable here until the next <see cref="Consume"/>,
    /// which moves the rest out. Default when taken already.
    /// </summary>
    public ReadOnlyMemory<byte> TakeFront(int length)
    {
        if (_taken || length > Length) return default;
        _taken = true;
        return _buffer.AsMemory(_start, length);
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front; an emptied queue gives its buffer back, so
    /// thousands of idle connections do not each keep the largest buffer they ever needed.</summary>
    public void Consume(int count)
    {
        _start += count;
        Length -= count;
        if (_taken)
        {
            byte[] taken = _buffer;
            ReadOnlySpan<byte> rest = taken.AsSpan(_start, Length);
            (_buffer, _taken, _start, Length) = ([], false, 0, 0);
            Append(rest);
            Taken(taken);
        }
        if (Length == 0) Clear();
    }

    /// <summary>Empties the queue and gives the buffer back to the pool.</summary>
    public virtual void Clear()
    {
        if (_taken) Taken(_buffer);
        else ReturnBuffer();
        (_buffer, _taken, _start, Length) = ([], false, 0, 0);
    }

    /// <summary>A buffer of at least <paramref name="minimum"/> bytes.</summary>
    protected virtual byte[] Rent(int minimum) => ArrayPool<byte>.Shared.Rent(minimum);

    /// <summary>A buffer no longer used.</summary>
    protected virtual void Return(byte[] array) => ArrayPool<byte>.Shared.Return(array);

    /// <summary>A buffer whose front was taken, now that the queue is done reading it.</summary>
    protected virtual void Taken(byte[] array)
    {
    }

    private void ReturnBuffer()
    {
        if (_buffer.Length > 0) Return(_buffer);
    }
}
