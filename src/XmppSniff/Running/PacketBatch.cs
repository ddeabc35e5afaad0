using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// Decoded packets handed from the reading thread to the analysing thread: fixed fields in an
/// array, payloads pointed to where the reader keeps them (a mapped file) or else copied (see
/// <see cref="BatchBytes"/>), so nothing points into memory the reader moves past.
/// </summary>
internal sealed class PacketBatch
{
    public const int Capacity = 4096;

    /// <summary>How much of a file one batch may span: what the reader must keep mapped for the batches in flight.</summary>
    public const long MaxFileBytes = 1 << 20;

    // Uninitialized: written before they are read; zeroing would fault in all six batches' slots before the first packet.
    public readonly Slot[] Slots = GC.AllocateUninitializedArray<Slot>(Capacity);
    private readonly BatchBytes _payloads = new(1 << 20);
    public int Count;

    /// <summary>Live capture: the time reached once these packets are in (0: none), so idle flows can end.</summary>
    public long Clock;

    /// <summary>File positions: where the first frame read into this batch starts, and where the last one ends.</summary>
    public long Start, End;

    public bool IsFull(int payloadLength) => Count == Capacity || (_payloads.WouldOverflow(payloadLength) && Count > 0);

    /// <param name="kept">The reader keeps the payload where it is (see <see cref="BatchBytes"/>).</param>
    public void Add(ref Packet p, bool kept)
    {
        (nint address, int offset) = _payloads.Add(p.Payload, kept);
        Slots[Count++] = new Slot(p.Number, p.Time, p.Source, p.Destination, p.Protocol, p.Sequence, p.Acknowledgment,
            p.Flags, p.Window, address, offset, p.Payload.Length, p.PayloadLength, p.FrameLength, p.PayloadFingerprint);
    }

    /// <summary>
    /// How many slots ahead <see cref="Get"/> asks for: the reading thread wrote them on the other core, and
    /// the processor's own prefetching does not fetch them from there in time (perf, flows on echo-1x: the
    /// loads of a slot were 11% of the run's samples, 4% when asked for 8 ahead).
    /// </summary>
    private const int PrefetchAhead = 8;

    /// <summary>Rebuilds packet <paramref name="i"/>; its payload span is valid until the batch is reused.</summary>
    public unsafe void Get(int i, out Packet p)
    {
        if (Sse.IsSupported && i + PrefetchAhead < Count)
        {
            // A slot takes 112 bytes: two lines from its start cover it and the next one's start.
            byte* ahead = (byte*)Unsafe.AsPointer(ref Slots[i + PrefetchAhead]);
            Sse.Prefetch0(ahead);
            Sse.Prefetch0(ahead + 64);
        }
        ref readonly Slot s = ref Slots[i];
        p = new Packet
        {
            Number = s.Number,
            Time = s.Time,
            Source = s.Source,
            Destination = s.Destination,
            Protocol = s.Protocol,
            Sequence = s.Sequence,
            Acknowledgment = s.Acknowledgment,
            Flags = s.Flags,
            Window = s.Window,
            Payload = _payloads.Get(s.PayloadAddress, s.PayloadOffset, s.CapturedLength),
            PayloadLength = s.PayloadLength,
            FrameLength = s.FrameLength,
            PayloadFingerprint = s.PayloadFingerprint,
        };
    }

    public void Clear()
    {
        Count = 0;
        _payloads.Clear();
        Clock = 0;
        Start = End = 0;
    }

    public readonly record struct Slot(
        long Number, long Time, Endpoint Source, Endpoint Destination, IpProtocol Protocol, uint Sequence, uint Acknowledgment,
        TcpFlags Flags, ushort Window, nint PayloadAddress, int PayloadOffset, int CapturedLength, int PayloadLength, int FrameLength, ulong PayloadFingerprint);
}
