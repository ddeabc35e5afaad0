using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Properties;

/// <summary>
/// Property tests of TCP reassembly (FsCheck): any segmentation of a stream, in any order, with
/// duplicates and overlaps, near the sequence-number wrap or not, comes out as the stream; overlaps
/// that disagree keep the copy that came first; the buffer bounds hold whatever arrives.
/// </summary>
public class ReassemblyProperties
{
    /// <summary>A message cut into segments that cover it, plus extra overlapping copies, in arrival order.</summary>
    public sealed record Segmented(uint Isn, byte[] Message, (int Start, int Length)[] Segments)
    {
        public override string ToString() => $"isn {Isn}, {Message.Length} bytes, segments {string.Join(" ", Segments.Select(s => $"{s.Start}+{s.Length}"))}";
    }

    /// <summary>Segments whose bytes differ where they overlap, in arrival order; together they cover [0, Length).</summary>
    public sealed record Conflicting(uint Isn, int Length, (int Start, byte[] Data)[] Segments)
    {
        public override string ToString() => $"isn {Isn}, {Length} bytes, segments {string.Join(" ", Segments.Select(s => $"{s.Start}+{s.Data.Length}"))}";
    }

    private static readonly Gen<uint> Isns = Gen.OneOf(
        Gen.Choose(0, int.MaxValue).Select(i => (uint)i * 2),
        Gen.Choose(1, 4000).Select(i => uint.MaxValue - (uint)i)); // the message crosses the wrap

    public static class Generators
    {
        public static Arbitrary<Segmented> Segmented() =>
            (from isn in Isns
             from length in Gen.Choose(1, 3000)
             from message in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
             from cuts in Gen.ListOf(Gen.Choose(1, Math.Max(1, length - 1)))
             from extra in Gen.ListOf(from s in Gen.Choose(0, length - 1) from l in Gen.Choose(1, 400) select (s, Math.Min(l, length - s)))
             let bounds = cuts.Where(c => c < length).Append(0).Append(length).Distinct().Order().ToArray()
             let cover = bounds.Zip(bounds.Skip(1), (a, b) => (a, b - a))
             from order in Gen.Shuffle(cover.Concat(extra).ToArray())
             select new Segmented(isn, message, order)).ToArbitrary();

        public static Arbitrary<Conflicting> Conflicting() =>
            (from isn in Isns
             from length in Gen.Choose(1, 600)
             from pieces in Gen.ListOf(
                 from s in Gen.Choose(0, length - 1)
                 from l in Gen.Choose(1, 120)
                 from fill in Gen.Choose(0, 255)
                 select (s, Enumerable.Range(0, Math.Min(l, length - s)).Select(i => (byte)(fill + i)).ToArray()))
             let cover = (0, Enumerable.Repeat((byte)'#', length).ToArray())
             from order in Gen.Shuffle(pieces.Append(cover).ToArray())
             select new Conflicting(isn, length, order)).ToArbitrary();
    }

    private sealed class Collector : IStreamSink
    {
        public readonly List<byte> Bytes = [];
        public long Gaps;

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame) => Bytes.AddRange(data.ToArray());

        public void OnGap(FlowSide from, long length)
        {
            Gaps += length;
            Bytes.AddRange(new byte[length]);
        }
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 300)]
    public void AnySegmentationInAnyOrderGivesTheStreamOnce(Segmented input)
    {
        var budget = new BufferBudget(1 << 20, 1 << 30);
        var stream = new StreamReassembler(FlowSide.Client, budget, new FlowHold());
        stream.Start(input.Isn);
        var sink = new Collector();
        foreach (var (start, length) in input.Segments)
            stream.Add(input.Isn + (uint)start, input.Message.AsSpan(start, length), length, 0, 0, 0, sink);
        stream.Finish(sink);
        Assert.Equal(input.Message, sink.Bytes);
        Assert.Equal(0, sink.Gaps);
        Assert.Equal(0, budget.Held);
        Assert.Equal(0, budget.OverlapConflicts);
        Assert.Equal(0, budget.RetransmissionConflicts); // resent bytes are the same bytes
        Assert.Equal(input.Isn + (uint)input.Message.Length, stream.NextSeq);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 300)]
    public void DisagreeingOverlapsKeepTheCopyThatCameFirst(Conflicting input)
    {
        var expected = new byte[input.Length];
        var known = new bool[input.Length];
        foreach (var (start, data) in input.Segments)
            for (int i = 0; i < data.Length; i++)
                if (!known[start + i])
                {
                    known[start + i] = true;
                    expected[start + i] = data[i];
                }

        var budget = new BufferBudget(1 << 20, 1 << 30);
        var stream = new StreamReassembler(FlowSide.Client, budget, new FlowHold());
        stream.Start(input.Isn);
        var sink = new Collector();
        foreach (var (start, data) in input.Segments)
            stream.Add(input.Isn + (uint)start, data, data.Length, 0, 0, 0, sink);
        stream.Finish(sink);
        Assert.Equal(expected, sink.Bytes);
        Assert.Equal(0, budget.Held);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 300)]
    public void BoundsHoldAndEveryByteIsDeliveredOrCountedMissed(Segmented input)
    {
        var budget = new BufferBudget(perFlowLimit: 700, totalLimit: 500);
        var stream = new StreamReassembler(FlowSide.Client, budget, new FlowHold());
        stream.Start(input.Isn);
        var sink = new Collector();
        foreach (var (start, length) in input.Segments)
        {
            stream.Add(input.Isn + (uint)start, input.Message.AsSpan(start, length), length, 0, 0, 0, sink);
            Assert.InRange(budget.Held, 0, 500);
        }
        stream.Finish(sink);
        Assert.Equal(input.Message.Length, sink.Bytes.Count);
        Assert.Equal(input.Message.Length, stream.DeliveredBytes + stream.MissedBytes);
        // What was delivered is the message's bytes at their places; only the holes given up differ.
        int wrong = input.Message.Where((b, i) => sink.Bytes[i] != b).Count();
        Assert.True(wrong <= stream.MissedBytes);
        Assert.Equal(0, budget.Held);
        Assert.True(budget.PeakHeld <= 500);
    }
    /// <summary>
    /// Delivered in order, then one of the last remembered segments resent with one byte changed,
    /// anywhere in it: counted exactly once (a single changed word always changes the fingerprint),
    /// and the stream is the first copy.
    /// </summary>
    [Property(Arbitrary = [typeof(Generators)], MaxTest = 300)]
    public void OneChangedByteInARecentResendIsCountedOnce(Segmented input, PositiveInt pick, PositiveInt at, byte flip)
    {
        var bounds = input.Segments.Select(s => s.Start).Append(0).Append(input.Message.Length).Distinct().Order().ToArray();
        var inOrder = bounds.Zip(bounds.Skip(1), (a, b) => (Start: a, Length: b - a)).ToArray();
        var budget = new BufferBudget(1 << 20, 1 << 30);
        var stream = new StreamReassembler(FlowSide.Client, budget, new FlowHold());
        stream.Start(input.Isn);
        var sink = new Collector();
        foreach (var (start, length) in inOrder)
            stream.Add(input.Isn + (uint)start, input.Message.AsSpan(start, length), length, 0, 0, 0, sink);

        var (resendStart, resendLength) = inOrder[^(1 + pick.Get % Math.Min(inOrder.Length, RecentDeliveries.Size))];
        byte[] resend = input.Message.AsSpan(resendStart, resendLength).ToArray();
        resend[at.Get % resend.Length] ^= (byte)(flip | 1);
        Assert.Equal(SegmentKind.Retransmission, stream.Add(input.Isn + (uint)resendStart, resend, resend.Length, 0, 0, 0, sink));
        Assert.Equal(1, budget.RetransmissionConflicts);
        Assert.Equal(input.Message, sink.Bytes);
    }
}
