using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// Decoded packets handed from the reading thread to the analysing thread: fixed fields in an
/// array, payloads copied into one buffer, so nothing points into memory the reader moves past.
/// </summary>
internal sealed class PacketBatch
{
    public const int Capacity = 4096;

    // Uninitialized: written before they are read; zeroing would fault in all six batches' pages (7 MB) before the first packet.
    public readonly Slot[] Slots = GC.AllocateUninitializedArray<Slot>(Capacity);
    public byte[] Payloads = GC.AllocateUninitializedArray<byte>(1 << 20);
    public int Count;
    public int PayloadBytes;

    /// <summary>Live capture: the time reached once these packets are in (0: none), so idle flows can end.</summary>
    public long Clock;

    public bool IsFull(int payloadLength) => Count == Capacity || (PayloadBytes + payloadLength > Payloads.Length && Count > 0);

    public void Add(ref Packet p)
    {
        if (PayloadBytes + p.Payload.Length > Payloads.Length) Array.Resize(ref Payloads, PayloadBytes + p.Payload.Length);
        p.Payload.CopyTo(Payloads.AsSpan(PayloadBytes));
        Slots[Count++] = new Slot(p.Number, p.Time, p.Source, p.Destination, p.Protocol, p.Sequence, p.Acknowledgment,
            p.Flags, p.Window, PayloadBytes, p.Payload.Length, p.PayloadLength, p.FrameLength, p.PayloadFingerprint);
        PayloadBytes += p.Payload.Length;
    }

    /// <summary>Rebuilds packet <paramref name="i"/>; its payload span is valid until the batch is reused.</summary>
    public void Get(int i, out Packet p)
    {
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
            Payload = Payloads.AsSpan(s.PayloadOffset, s.CapturedLength),
            PayloadLength = s.PayloadLength,
            FrameLength = s.FrameLength,
            PayloadFingerprint = s.PayloadFingerprint,
        };
    }

    public void Clear()
    {
        Count = 0;
        PayloadBytes = 0;
        Clock = 0;
    }

    public readonly record struct Slot(
        long Number, long Time, Endpoint Source, Endpoint Destination, IpProtocol Protocol, uint Sequence, uint Acknowledgment,
        TcpFlags Flags, ushort Window, int PayloadOffset, int CapturedLength, int PayloadLength, int FrameLength, ulong PayloadFingerprint);
}
