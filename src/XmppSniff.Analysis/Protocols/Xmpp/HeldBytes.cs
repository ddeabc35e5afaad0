using XmppSniff.Analysis.Buffers;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// The bytes of one direction read but not yet consumed: mostly an unfinished element, whose first byte
/// is then the first held. Large ones are held in an array of the records' <see cref="ElementCopyPool"/>
/// that becomes the element's copy when it completes (<see cref="GiveFront"/>): a 64 KiB message that
/// arrives in pieces is gathered once, not gathered and then copied again.
/// </summary>
internal sealed class HeldBytes(ElementCopyPool? pool) : ByteQueue
{
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
