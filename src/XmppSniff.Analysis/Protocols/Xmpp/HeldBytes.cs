using XmppSniff.Analysis.Buffers;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// The bytes of one direction read but not yet consumed: mostly an unfinished element, whose first byte
/// is then the first held. Large ones are held in an array of the records' <see cref="ElementCopyPool"/>
/// that becomes the element's copy when it completes (<see cref="GiveFront"/>): a 64 KiB message that
/// arrives in pieces is gathered once, not gathered and then copied again. Pieces that can be read again
/// from the capture (<see cref="Defer"/>) are only noted, and read in when the element is gathered.
/// </summary>
internal sealed class HeldBytes(ElementCopyPool? pool) : ByteQueue
{
    private readonly List<(long Position, int Length)> _deferred = [];
    private IRereadableBytes? _source;

    /// <summary>Bytes noted by <see cref="Defer"/> and not read in yet: they follow the held ones.</summary>
    public int Deferred { get; private set; }

    /// <summary>The held bytes and the deferred ones.</summary>
    public int Total => Length + Deferred;

    /// <summary>
    /// Notes <paramref name="data"/> as following the held bytes, without copying it, if <paramref name="source"/> can
    /// give it back later (see <see cref="Gather"/>); false if it cannot, and nothing is noted.
    /// </summary>
    public bool Defer(ReadOnlySpan<byte> data, IRereadableBytes source)
    {
        if (!source.TryLocate(data, out long position)) return false;
        _source = source;
        if (_deferred.Count > 0 && _deferred[^1] is var (lastAt, lastLength) && lastAt + lastLength == position)
            _deferred[^1] = (lastAt, lastLength + data.Length); // consecutive in the file: one read
        else _deferred.Add((position, data.Length));
        Deferred += data.Length;
        return true;
    }

    /// <summary>Reads the deferred bytes in after the held ones, with room for <paramref name="more"/> bytes after them.</summary>
    public void Gather(int more)
    {
        if (Deferred == 0) return;
        Reserve(Deferred + more);
        foreach ((long position, int length) in _deferred) _source!.Read(position, AppendSpan(length));
        _deferred.Clear();
        Deferred = 0;
    }

    /// <summary>Empties the queue, the deferred bytes too.</summary>
    public override void Clear()
    {
        _deferred.Clear();
        Deferred = 0;
        base.Clear();
    }

    /// <summary>
    /// The first <paramref name="length"/> held bytes as a record's own copy, without copying them, if the records'
    /// pool takes its arrays back and they are large enough to be worth one (else default: the caller copies them).
    /// </summary>
    public ReadOnlyMemory<byte> GiveFront(int length) =>
        pool is not null && length >= ElementCopyPool.MinBytes ? TakeFront(length) : default;

    // Large holds come from the records' pool, so one may become a copy; small ones (a stanza cut by a segment
    // boundary, the usual case) from the shared pool, whose per-thread caches take no lock. Both pools' arrays are
    // powers of two, so an array may go back to either.
    protected override byte[] Rent(int minimum) =>
        pool is not null && minimum >= ElementCopyPool.MinBytes ? pool.Rent(minimum) : base.Rent(minimum);

    protected override void Return(byte[] array)
    {
        if (pool is not null && array.Length > ElementCopyPool.MinBytes) pool.Return(array);
        else base.Return(array);
    }

    /// <summary>The record has the array now: the pool takes it back from the record.</summary>
    protected override void Taken(byte[] array) => pool!.Lend(array);
}
