using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Large element copies (a 64 KiB message) taken from arrays the records' consumer gave back, rather
/// than new ones: each would otherwise be fresh memory for the garbage collector to fault in, count
/// against its budget and move while it waits in the output queue. Only for a consumer that calls
/// <see cref="Release"/> after its last use of a record (`stanzas` does once a record is written);
/// records never released are simply collected. Thread-safe: the analyser takes, the writer gives back.
/// </summary>
public sealed class ElementCopyPool
{
    /// <summary>Arrays kept for reuse, at most; beyond it a given-back array is left to the collector.</summary>
    private const long MaxKeptBytes = 32 << 20;

    /// <summary>How many sizes up (each twice the last) a request may be served from.</summary>
    private const int LargerClasses = 3;

    private readonly Dictionary<int, Stack<byte[]>> _free = [];
    // Weak: a record dropped without being given back (a copy it does not refer to, after redaction) is collected as usual.
    private readonly ConditionalWeakTable<byte[], object> _lent = [];
    private long _keptBytes;

    /// <summary>Elements smaller than this are cut from shared blocks (see <see cref="ElementCopies"/>), never copied here.</summary>
    public const int MinBytes = 4 << 10;

    /// <summary>Copies made in an array given back earlier.</summary>
    public long Reused { get; private set; }

    /// <summary>A copy of <paramref name="bytes"/> in an array of this pool.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        byte[] array = Rent(bytes.Length);
        bytes.CopyTo(array);
        Lend(array);
        return array.AsMemory(0, bytes.Length);
    }

    /// <summary>
    /// An array of at least <paramref name="minimum"/> bytes to fill, for a record later (<see cref="Lend"/>)
    /// or back to the pool (<see cref="Return"/>): how an unfinished element is held until it becomes its own copy.
    /// </summary>
    public byte[] Rent(int minimum)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)minimum);
        lock (_free)
        {
            // A larger array kept does as well: only the pages written are memory, and those written
            // before are already the process's (a new array's are faults to fill).
            for (int kept = size; kept <= size << LargerClasses && kept > 0; kept <<= 1)
            {
                if (!_free.TryGetValue(kept, out Stack<byte[]>? arrays) || !arrays.TryPop(out byte[]? array)) continue;
                _keptBytes -= kept;
                Reused++;
                return array;
            }
        }
        return GC.AllocateUninitializedArray<byte>(size); // filled before it is read: zeroing it first is waste
    }

    /// <summary><paramref name="array"/>, rented and filled, is now a record's: <see cref="Release"/> of that record gives it back.</summary>
    public void Lend(byte[] array) => _lent.AddOrUpdate(array, this);

    /// <summary>A rented array that no record refers to, back for reuse.</summary>
    public void Return(byte[] array) => Keep(array);

    /// <summary>Takes back the arrays of this pool that <paramref name="element"/> refers to; the caller is done with it.</summary>
    public void Release(XmppElement element)
    {
        // Both arrays first: the body is mostly a slice of the XML, and once the XML's array is back, an analysing
        // thread may lend it out again at once; a second give-back would then take it from under its new element.
        byte[]? xml = ArrayOf(element.XmlUtf8), body = ArrayOf(element.BodyUtf8);
        if (xml is not null) GiveBack(xml);
        if (body is not null && body != xml) GiveBack(body);
    }

    /// <summary>The array a text lies in, if it could be one of this pool's (smaller texts never are: no lookup, no lock).</summary>
    private static byte[]? ArrayOf(Utf8Text? text) =>
        text is { } t && t.Bytes.Length >= MinBytes && MemoryMarshal.TryGetArray(t.Bytes, out ArraySegment<byte> segment) ? segment.Array : null;

    private void GiveBack(byte[] array)
    {
        if (_lent.Remove(array)) Keep(array); // else not this pool's, or given back already
    }

    private void Keep(byte[] array)
    {
        lock (_free)
        {
            if (_keptBytes + array.Length > MaxKeptBytes) return;
            if (!_free.TryGetValue(array.Length, out Stack<byte[]>? arrays)) _free[array.Length] = arrays = new Stack<byte[]>();
            arrays.Push(array);
            _keptBytes += array.Length;
        }
    }
}
