using System.Buffers;
using XmppSniff.Core;

namespace XmppSniff.Capture.Decode;

internal enum FragmentResult : byte
{
    Held,
    Complete,

    /// <summary>The fragment reaches past the datagram size bound, or its datagram has too many holes to track.</summary>
    Dropped,

    /// <summary>The snap length cut the fragment, so its bytes cannot be used.</summary>
    Cut,
}

/// <summary>
/// Reassembles IPv4 and IPv6 fragments. This is the rare path: fragments are copied into pooled buffers.
/// Overlaps keep the first copy; bytes that contradict it are counted. Memory is bounded by
/// <see cref="MaxPending"/> datagrams of at most <see cref="MaxDatagramBytes"/> each, and by a capture-time timeout.
/// </summary>
internal sealed class Defragmenter
{
    public const int MaxPending = 1024;
    public const int MaxDatagramBytes = 65535;
    public const long TimeoutNanoseconds = 30_000_000_000;
    private const long SweepIntervalNanoseconds = 1_000_000_000;

    // Each hole costs a list entry and a linear insert; real datagrams have a handful, a crafted one thousands.
    private const int MaxRangesPerDatagram = 64;

    private readonly DecodeCounters _counters;
    private readonly Dictionary<FragmentKey, Pending> _pending = new();
    private long _order;
    private long _lastSweep;
    private bool _swept;

    /// <summary>The buffer of the last completed datagram: handed out as a span, so kept until the next completes.</summary>
    private byte[]? _completed;

    public Defragmenter(DecodeCounters counters) => _counters = counters;

    public int PendingCount => _pending.Count;

    private readonly record struct FragmentKey(Address Source, Address Destination, uint Id, byte Protocol);

    private readonly record struct Range(int Start, int End);

    private sealed class Pending
    {
        public byte[] Buffer = [];
        public readonly List<Range> Ranges = new();
        public int TotalLength = -1;
        public long FirstSeen;
        public long Order;
        public int Fragments;
        public int Protocol = -1;
    }

    public FragmentResult Add(scoped in IpLayer ip, bool isV6, long time, out ReadOnlySpan<byte> datagram, out byte protocol)
    {
        datagram = default;
        protocol = 0;
        if (ip.Payload.Length < ip.PayloadLength)
        {
            _counters.FragmentsDropped++;
            return FragmentResult.Cut;
        }
        int start = ip.FragmentOffset;
        int end = start + ip.Payload.Length;
        if (end > MaxDatagramBytes)
        {
            _counters.FragmentsDropped++;
            return FragmentResult.Dropped;
        }

        Sweep(time);
        // IPv6 only trusts the next header of the offset-0 fragment (RFC 8200 4.5), so it is not part of the key.
        var key = new FragmentKey(ip.Source, ip.Destination, ip.FragmentId, isV6 ? (byte)0 : ip.Protocol);
        if (_pending.TryGetValue(key, out var pending) && Expired(pending, time))
        {
            Drop(key, pending);
            _counters.DatagramsTimedOut++;
            pending = null;
        }
        if (pending is null)
        {
            if (_pending.Count >= MaxPending)
                EvictOldest();
            pending = new Pending { FirstSeen = time, Order = _order++ };
            _pending.Add(key, pending);
        }

        pending.Fragments++;
        if (start == 0 && pending.Protocol < 0)
            pending.Protocol = ip.Protocol;
        if (!ip.MoreFragments)
            SetEnd(pending, end);
        Store(pending, start, ip.Payload);
        if (pending.Ranges.Count > MaxRangesPerDatagram)
        {
            Drop(key, pending);
            return FragmentResult.Dropped;
        }

        if (pending.TotalLength < 0 || pending.Protocol < 0 || pending.Ranges.Count != 1 ||
            pending.Ranges[0] != new Range(0, pending.TotalLength))
            return FragmentResult.Held;

        _pending.Remove(key);
        if (_completed is { Length: > 0 })
            ArrayPool<byte>.Shared.Return(_completed);
        _completed = pending.Buffer;
        datagram = _completed.AsSpan(0, pending.TotalLength);
        protocol = (byte)pending.Protocol;
        _counters.DatagramsReassembled++;
        return FragmentResult.Complete;
    }

    private void SetEnd(Pending pending, int end)
    {
        // First copy wins: a second last fragment, or one ending before bytes already held, contradicts.
        bool contradicts = (pending.TotalLength >= 0 && pending.TotalLength != end) ||
            (pending.Ranges.Count > 0 && pending.Ranges[^1].End > end);
        if (contradicts)
        {
            _counters.FragmentOverlaps++;
            return;
        }
        pending.TotalLength = end;
    }

    /// <summary>Copies the bytes not yet held; compares the ones that are.</summary>
    private void Store(Pending pending, int start, ReadOnlySpan<byte> data)
    {
        int end = start + data.Length;
        bool contradicts = false;
        if (pending.TotalLength >= 0 && end > pending.TotalLength)
        {
            // Bytes past the end the last fragment fixed are dropped.
            contradicts = true;
            end = Math.Max(start, pending.TotalLength);
            data = data[..(end - start)];
        }
        if (end == start)
        {
            if (contradicts)
                _counters.FragmentOverlaps++;
            return;
        }

        EnsureCapacity(pending, end);
        var ranges = pending.Ranges;
        int cursor = start;
        int first = -1, last = -1; // ranges overlapping or touching [start, end)
        for (int i = 0; i < ranges.Count; i++)
        {
            var r = ranges[i];
            if (r.End < start || r.Start > end)
                continue;
            if (first < 0)
                first = i;
            last = i;
            int overlapStart = Math.Max(r.Start, start);
            int overlapEnd = Math.Min(r.End, end);
            if (overlapEnd > overlapStart &&
                !data[(overlapStart - start)..(overlapEnd - start)].SequenceEqual(pending.Buffer.AsSpan(overlapStart, overlapEnd - overlapStart)))
                contradicts = true;
            if (r.Start > cursor)
                data[(cursor - start)..(r.Start - start)].CopyTo(pending.Buffer.AsSpan(cursor));
            cursor = Math.Max(cursor, r.End);
        }
        if (cursor < end)
            data[(cursor - start)..].CopyTo(pending.Buffer.AsSpan(cursor));
        if (contradicts)
            _counters.FragmentOverlaps++;

        if (first < 0)
        {
            int at = 0;
            while (at < ranges.Count && ranges[at].Start < start)
                at++;
            ranges.Insert(at, new Range(start, end));
        }
        else
        {
            var merged = new Range(Math.Min(start, ranges[first].Start), Math.Max(end, ranges[last].End));
            ranges.RemoveRange(first + 1, last - first);
            ranges[first] = merged;
        }
    }

    private static void EnsureCapacity(Pending pending, int size)
    {
        if (pending.Buffer.Length >= size)
            return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, Math.Min(MaxDatagramBytes, pending.Buffer.Length * 2)));
        if (pending.Ranges.Count > 0)
            pending.Buffer.AsSpan(0, pending.Ranges[^1].End).CopyTo(bigger);
        if (pending.Buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(pending.Buffer);
        pending.Buffer = bigger;
    }

    private static bool Expired(Pending pending, long time) => time - pending.FirstSeen > TimeoutNanoseconds;

    private void Sweep(long time)
    {
        // Capture time can step backwards; only sweep when it moved forward enough.
        if (_swept && time >= _lastSweep && time - _lastSweep < SweepIntervalNanoseconds)
            return;
        _swept = true;
        _lastSweep = time;
        foreach (var (key, pending) in _pending)
        {
            if (Expired(pending, time))
            {
                Drop(key, pending);
                _counters.DatagramsTimedOut++;
            }
        }
    }

    private void EvictOldest()
    {
        FragmentKey oldestKey = default;
        Pending? oldest = null;
        foreach (var (key, pending) in _pending)
        {
            if (oldest is null || pending.Order < oldest.Order)
            {
                oldest = pending;
                oldestKey = key;
            }
        }
        if (oldest is null)
            return;
        Drop(oldestKey, oldest);
        _counters.DatagramsEvicted++;
    }

    private void Drop(FragmentKey key, Pending pending)
    {
        _pending.Remove(key);
        _counters.FragmentsDropped += pending.Fragments;
        if (pending.Buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(pending.Buffer);
    }
}
