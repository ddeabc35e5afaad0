using System.Buffers;

namespace XmppSniff.Analysis.Buffers;

/// <summary>Bytes appended at the end and consumed from the front, in one pooled buffer that grows as needed.</summary>
public sealed class ByteQueue
{
    private byte[] _buffer = [];
    private int _start;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_start + Length + data.Length > _buffer.Length)
        {
            // Compact in place when that makes room, else move to a bigger pooled buffer.
            byte[] target = _buffer.Length >= Length + data.Length
                ? _buffer
                : ArrayPool<byte>.Shared.Rent(Math.Max(Length + data.Length, 2 * _buffer.Length));
            Span.CopyTo(target);
            if (target != _buffer) Return();
            _buffer = target;
            _start = 0;
        }
        data.CopyTo(_buffer.AsSpan(_start + Length));
        Length += data.Length;
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front; an emptied queue gives its buffer back, so
    /// thousands of idle connections do not each keep the largest buffer they ever needed.</summary>
    public void Consume(int count)
    {
        _start += count;
        Length -= count;
        if (Length == 0) Clear();
    }

    /// <summary>Empties the queue and gives the buffer back to the pool.</summary>
    public void Clear()
    {
        Return();
        _buffer = [];
        _start = Length = 0;
    }

    private void Return()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
    }
}
