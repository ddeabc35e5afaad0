using System.Buffers;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// The bytes of one direction read but not yet consumed: mostly an unfinished element, whose first byte
/// is then the first held. Large ones are held in an array of the records' <see cref="ElementCopyPool"/>
/// that becomes the element's copy when it completes (<see cref="GiveFront"/>): a 64 KiB message that
/// arrives in pieces is gathered once, not gathered and then copied again.
/// </summary>
internal sealed class HeldBytes(ElementCopyPool? pool)
{
    private byte[] _array = [];
    private bool _fromPool;
    private int _start;

    /// <summary>The front of <see cref="_array"/> was given to a record: it stays readable until <see cref="Consume"/>.</summary>
    private bool _given;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(_start, Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_start + Length + data.Length > _array.Length)
        {
            // Compact in place when that makes room, else move to a bigger array.
            int needed = Length + data.Length;
            if (_array.Length >= needed) Span.CopyTo(_array);
            else Move(needed);
            _start = 0;
        }
        data.CopyTo(_array.AsSpan(_start + Length));
        Length += data.Length;
    }

    /// <summary>
    /// The first <paramref name="length"/> held bytes as a record's own copy, without copying them, if they are
    /// in an array of the pool and large enough to be worth one (else default: the caller copies them).
    /// </summary>
    public ReadOnlyMemory<byte> GiveFront(int length)
    {
        if (!_fromPool || _given || length < ElementCopyPool.MinBytes || length > Length) return default;
        _given = true;
        return _array.AsMemory(_start, length);
    }

    /// <summary>Drops <paramref name="count"/> bytes from the front; an emptied buffer goes back, so
    /// thousands of idle connections do not each keep the largest one they ever needed.</summary>
    public void Consume(int count)
    {
        _start += count;
        Length -= count;
        if (_given)
        {
            // The record has the array now (the pool takes it back from the record): what is left moves out.
            byte[] given = _array;
            ReadOnlySpan<byte> rest = given.AsSpan(_start, Length);
            (_array, _fromPool, _given, _start, Length) = ([], false, false, 0, 0);
            Append(rest);
            pool!.Lend(given);
        }
        if (Length == 0) Clear();
    }

    /// <summary>Empties the buffer and gives its array back.</summary>
    public void Clear()
    {
        if (_given) pool!.Lend(_array);
        else Return();
        (_array, _fromPool, _given, _start, Length) = ([], false, false, 0, 0);
    }

    private void Move(int needed)
    {
        // Large holds come from the records' pool, so one may become a copy; small ones (a stanza cut by a
        // segment boundary, the usual case) from the shared pool, whose per-thread caches take no lock.
        int size = Math.Max(needed, 2 * _array.Length);
        bool fromPool = pool is not null && size >= ElementCopyPool.MinBytes;
        byte[] target = fromPool ? pool!.Rent(size) : ArrayPool<byte>.Shared.Rent(size);
        Span.CopyTo(target);
        Return();
        (_array, _fromPool) = (target, fromPool);
    }

    private void Return()
    {
        if (_array.Length == 0) return;
        if (_fromPool) pool!.Return(_array);
        else ArrayPool<byte>.Shared.Return(_array);
    }
}
