using System.Buffers;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Reassembly;

/// <summary>
/// Rebuilds one direction of a TCP connection: delivers each byte once and in order,
/// holds segments that arrive ahead of a hole, and reports holes that never fill as gaps.
/// The in-order path delivers the caller's span directly, without a copy.
/// </summary>
public sealed class StreamReassembler(FlowSide side, BufferBudget budget, FlowHold hold)
{
    /// <summary>
    /// An ACK further ahead than this is not taken as proof of lost bytes: no real window is
    /// that large, but damaged and forged packets carry such numbers.
    /// </summary>
    public const uint MaxAckJump = 64 << 20;

    /// <summary>Which side sends this direction; changes when the flow's roles are flipped.</summary>
    public FlowSide Side { get; set; } = side;

    // Shared and never changed until this direction holds a segment: most connections never do, and a flood of
    // opened connections then costs no list each.
    private static readonly List<PendingSegment> NothingPending = [];

    private List<PendingSegment> _pending = NothingPending;
    private uint _ackedTo;
    private bool _acked;
    private uint _finSeq;
    private bool _fin;
    private uint _highestEnd;
    private long _highestEndTime;
    private RecentDeliveries _recent;

    public bool Started { get; private set; }

    /// <summary>The sequence number of the next byte to deliver.</summary>
    public uint NextSeq { get; private set; }

    /// <summary>Bytes delivered to the sink.</summary>
    public long DeliveredBytes { get; private set; }

    /// <summary>Bytes skipped as gaps (sent, never captured).</summary>
    public long MissedBytes { get; private set; }

    public bool HasPending => _pending.Count > 0;

    /// <summary>Sets where the stream starts: the byte after the SYN, or the first byte seen mid-stream.</summary>
    public void Start(uint nextSeq)
    {
        Started = true;
        NextSeq = nextSeq;
        _highestEnd = nextSeq;
    }

    /// <summary>Marks the FIN at <paramref name="finSeq"/> (the sequence number the FIN occupies).</summary>
    public void MarkFin(uint finSeq)
    {
        _fin = true;
        _finSeq = finSeq;
    }

    /// <summary>Adds a segment carrying <paramref name="claimedLength"/> bytes, of which <paramref name="data"/> were captured.</summary>
    /// <param name="reorderWindowNs">A hole filled within this time of the later bytes counts as reordering, not a resend.</param>
    /// <param name="fingerprint"><see cref="SegmentFingerprint.Of"/> of <paramref name="data"/> if already known (0: not known).</param>
    public SegmentKind Add(uint seq, ReadOnlySpan<byte> data, int claimedLength, long time, long frame, long reorderWindowNs, IStreamSink? sink,
        ulong fingerprint = 0)
    {
        if (!Started) Start(seq);
        uint end = seq + (uint)claimedLength;
        if (Seq.Le(end, NextSeq))
        {
            CompareWithDelivered(seq, data);
            return SegmentKind.Retransmission;
        }

        if (Seq.Gt(seq, NextSeq))
        {
            if (_acked && Seq.Ge(_ackedTo, seq)) SkipTo(seq, sink);
            else return Hold(seq, data, claimedLength, time, frame, sink);
        }

        bool overlapped = Seq.Lt(seq, NextSeq);
        if (overlapped) CompareWithDelivered(seq, data);
        bool filledHole = _pending.Count > 0;
        if (filledHole && (int)(_pending[0].Seq - seq) < data.Length) DeliverUnderHeld(seq, data, claimedLength, time, frame, sink);
        else Deliver(seq, data, claimedLength, time, frame, sink, fingerprint);
        if (Seq.Gt(end, _highestEnd))
        {
            _highestEnd = end;
            _highestEndTime = time;
        }
        Drain(sink);
        if (overlapped) return SegmentKind.Retransmission;
        if (!filledHole) return SegmentKind.InOrder;
        return time - _highestEndTime <= reorderWindowNs ? SegmentKind.OutOfOrder : SegmentKind.Retransmission;
    }

    /// <summary>The peer acknowledged up to <paramref name="ack"/>: bytes before it were sent, so a hole below it is capture loss.</summary>
    public void Acknowledged(uint ack, IStreamSink? sink)
    {
        if (!Started) return;
        uint dataEnd = _fin && Seq.Gt(ack, _finSeq) ? _finSeq : ack;
        if (!Seq.Gt(dataEnd, NextSeq) || dataEnd - NextSeq > MaxAckJump) return;
        _ackedTo = _acked ? Seq.Max(_ackedTo, dataEnd) : dataEnd;
        _acked = true;
        if (_pending.Count > 0 && Seq.Le(_pending[0].Seq, _ackedTo))
        {
            SkipTo(_pending[0].Seq, sink);
            Drain(sink);
        }
    }

    /// <summary>The connection is over: deliver what is held, skipping the holes, and account for acknowledged bytes never seen.</summary>
    public void Finish(IStreamSink? sink)
    {
        while (_pending.Count > 0)
        {
            SkipTo(_pending[0].Seq, sink);
            Drain(sink);
        }
        if (_acked && Seq.Gt(_ackedTo, NextSeq)) SkipTo(_ackedTo, sink);
    }

    private SegmentKind Hold(uint seq, ReadOnlySpan<byte> data, int claimedLength, long time, long frame, IStreamSink? sink)
    {
        while (!budget.Fits(hold.Bytes, data.Length))
        {
            budget.CountLimitHit();
            if (_pending.Count == 0)
            {
                // Nothing to give up but the hole itself: skip it and take this segment in order.
                SkipTo(seq, sink);
                return Add(seq, data, claimedLength, time, frame, 0, sink);
            }
            SkipTo(_pending[0].Seq, sink);
            Drain(sink);
            if (Seq.Le(seq, NextSeq)) return Add(seq, data, claimedLength, time, frame, 0, sink);
        }

        int index = _pending.Count;
        while (index > 0 && Seq.Gt(_pending[index - 1].Seq, seq)) index--;
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length, 1));
        data.CopyTo(copy);
        TakeHeldBytes(seq, copy.AsSpan(0, data.Length));
        if (index > 0 && _pending[index - 1].Seq == seq && _pending[index - 1].Claimed >= claimedLength)
        {
            ArrayPool<byte>.Shared.Return(copy);
            return SegmentKind.Retransmission;
        }

        if (_pending == NothingPending) _pending = [];
        _pending.Insert(index, new PendingSegment(seq, copy, data.Length, claimedLength, time, frame));
        hold.Bytes += data.Length;
        budget.Take(data.Length);
        uint end = seq + (uint)claimedLength;
        if (Seq.Gt(end, _highestEnd))
        {
            _highestEnd = end;
            _highestEndTime = time;
        }
        return SegmentKind.Held;
    }

    private void Drain(IStreamSink? sink)
    {
        while (_pending.Count > 0 && Seq.Le(_pending[0].Seq, NextSeq))
        {
            PendingSegment p = _pending[0];
            _pending.RemoveAt(0);
            Deliver(p.Seq, p.Buffer.AsSpan(0, p.Captured), p.Claimed, p.Time, p.Frame, sink);
            hold.Bytes -= p.Captured;
            budget.Release(p.Captured);
            ArrayPool<byte>.Shared.Return(p.Buffer);
        }
    }

    /// <summary>
    /// A retransmission of bytes already delivered: those stay (first wins), but different contents
    /// are counted, as far as the recent deliveries remembered allow (see <see cref="RecentDeliveries"/>).
    /// </summary>
    private void CompareWithDelivered(uint seq, ReadOnlySpan<byte> data)
    {
        if (_recent.Contradicts(seq, data, NextSeq)) budget.CountRetransmissionConflict();
    }

    /// <summary>An in-order segment reaching into held ones: the held bytes came first, so they win (RFC 9293 leaves it open; Zeek and Snort's "first" policy).</summary>
    private void DeliverUnderHeld(uint seq, ReadOnlySpan<byte> data, int claimedLength, long time, long frame, IStreamSink? sink)
    {
        byte[] copy = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(copy);
        TakeHeldBytes(seq, copy.AsSpan(0, data.Length));
        Deliver(seq, copy.AsSpan(0, data.Length), claimedLength, time, frame, sink);
        ArrayPool<byte>.Shared.Return(copy);
    }

    /// <summary>
    /// First copy wins: the bytes of <paramref name="copy"/> (which starts at <paramref name="seq"/>) that
    /// overlap held segments are replaced by the held bytes; a difference is counted once per segment.
    /// </summary>
    private void TakeHeldBytes(uint seq, Span<byte> copy)
    {
        bool differs = false;
        foreach (PendingSegment p in _pending)
        {
            int from = (int)(p.Seq - seq); // where the held segment starts in copy; sequence numbers wrap
            if (from >= copy.Length) break; // held segments are in sequence order
            int start = Math.Max(from, 0), end = (int)Math.Min((long)from + p.Captured, copy.Length);
            if (end <= start) continue;
            ReadOnlySpan<byte> held = p.Buffer.AsSpan(start - from, end - start);
            Span<byte> mine = copy[start..end];
            differs |= !held.SequenceEqual(mine);
            held.CopyTo(mine);
        }
        if (differs) budget.CountOverlapConflict();
    }

    /// <summary>Delivers the part of a segment past <see cref="NextSeq"/>; bytes claimed but not captured become a gap.</summary>
    private void Deliver(uint seq, ReadOnlySpan<byte> data, int claimedLength, long time, long frame, IStreamSink? sink, ulong fingerprint = 0)
    {
        uint end = seq + (uint)claimedLength;
        if (!Seq.Gt(end, NextSeq)) return;
        int skip = (int)(NextSeq - seq);
        if (skip < data.Length)
        {
            ReadOnlySpan<byte> fresh = data[skip..];
            _recent.Remember(NextSeq, fresh.Length, skip == 0 && fingerprint != 0 ? fingerprint : SegmentFingerprint.Of(fresh));
            DeliveredBytes += fresh.Length;
            NextSeq += (uint)fresh.Length;
            sink?.OnData(Side, fresh, time, frame);
        }
        if (Seq.Gt(end, NextSeq)) SkipTo(end, sink);
    }

    private void SkipTo(uint seq, IStreamSink? sink)
    {
        if (!Seq.Gt(seq, NextSeq)) return;
        long gap = seq - NextSeq;
        MissedBytes += gap;
        NextSeq = seq;
        sink?.OnGap(Side, gap);
    }

    private readonly record struct PendingSegment(uint Seq, byte[] Buffer, int Captured, int Claimed, long Time, long Frame);
}

/// <summary>Out-of-order bytes one connection holds, shared by its two directions.</summary>
public sealed class FlowHold
{
    public long Bytes;
}
