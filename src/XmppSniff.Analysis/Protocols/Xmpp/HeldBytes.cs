using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmppSniff.Analysis.Buffers;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// The bytes of one direction read but not yet consumed: mostly an unfinished element, whose first byte
/// is then the first held. Large ones are held in an array of the records' <see cref="ElementCopyPool"/>
/// that becomes the element's copy when it completes (<see cref="GiveFront"/>): a 64 KiB message that
/// arrives in pieces is gathered once, not gathered and then copied again. Where the pieces last (a mapped
/// capture), they are first held by reference and gathered only when markup follows (<see cref="Refer"/>).
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

    // Pieces held by reference, in order, where they last (see LastingBytes): an element that arrives in
    // pieces over tens of milliseconds costs no memory until it completes, then is gathered once.
    private List<(nint Address, int Length)>? _referred;

    /// <summary>Bytes held by reference (<see cref="Refer"/>), not yet in the queue.</summary>
    public int Referred { get; private set; }

    /// <summary>
    /// Holds <paramref name="piece"/> by reference, after the pieces referred to before; only while nothing is
    /// copied (the queue is empty), and only bytes that stay readable (<see cref="LastingBytes.Contain"/>).
    /// </summary>
    public unsafe void Refer(ReadOnlySpan<byte> piece)
    {
        (_referred ??= []).Add(((nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(piece)), piece.Length));
        Referred += piece.Length;
    }

    /// <summary>Copies the pieces referred to into the queue, with room for <paramref name="more"/> bytes after them.</summary>
    public unsafe void Gather(int more)
    {
        if (Referred == 0) return;
        Reserve(Referred + more);
        foreach ((nint address, int length) in _referred!)
        {
            var piece = new ReadOnlySpan<byte>((void*)address, length);
            Append(piece);
            LastingBytes.DoneWith(piece);
        }
        _referred.Clear();
        Referred = 0;
    }

    public override void Clear()
    {
        _referred?.Clear();
        Referred = 0;
        base.Clear();
    }
}
