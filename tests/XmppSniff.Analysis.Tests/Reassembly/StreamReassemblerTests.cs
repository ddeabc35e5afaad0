using System.Text;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Reassembly;

public class StreamReassemblerTests
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("<stream:stream to='example.test'><message><body>hello, world</body></message>");

    private static (StreamReassembler Stream, CollectingSink Sink, BufferBudget Budget) Create(uint isn, long perFlow = 1 << 20, long total = 1 << 30)
    {
        var budget = new BufferBudget(perFlow, total);
        var stream = new StreamReassembler(FlowSide.Client, budget, new FlowHold());
        stream.Start(isn);
        return (stream, new CollectingSink(), budget);
    }

    private static IEnumerable<(uint Seq, byte[] Data)> Segments(uint isn, byte[] data, params int[] cuts)
    {
        int start = 0;
        foreach (int cut in cuts.Append(data.Length))
        {
            yield return (isn + (uint)start, data[start..cut]);
            start = cut;
        }
    }

    [Fact]
    public void Directions_hold_their_own_segments_though_none_holds_a_list_before_its_first()
    {
        // Every direction starts with the same shared, empty list of held segments; the first held one gets its own.
        var (first, firstSink, _) = Create(1000);
        var (second, secondSink, _) = Create(1000);
        Assert.Equal(SegmentKind.Held, first.Add(1005, "world"u8.ToArray(), 5, 0, 0, 0, firstSink));
        Assert.True(first.HasPending);
        Assert.False(second.HasPending);
        second.Add(1000, "abcde"u8.ToArray(), 5, 0, 0, 0, secondSink);
        second.Add(1005, "fghij"u8.ToArray(), 5, 0, 0, 0, secondSink);
        Assert.Equal("abcdefghij", secondSink.Text);
        first.Add(1000, "hello"u8.ToArray(), 5, 0, 0, 0, firstSink);
        Assert.Equal("helloworld", firstSink.Text);
        Assert.False(first.HasPending);
    }

    [Fact]
    public void SplitAtEveryByteGivesTheSameStream()
    {
        for (int cut = 0; cut <= Message.Length; cut++)
        {
            var (stream, sink, _) = Create(1000);
            foreach (var (seq, data) in Segments(1000, Message, cut))
                Assert.NotEqual(SegmentKind.Held, stream.Add(seq, data, data.Length, 0, 0, 0, sink));
            Assert.Equal(Message, sink.Bytes);
        }
    }

    [Fact]
    public void OneByteAtATimeReversedIsHeldThenDeliveredWhole()
    {
        var (stream, sink, budget) = Create(7);
        for (int i = Message.Length - 1; i >= 0; i--)
            stream.Add(7 + (uint)i, Message.AsSpan(i, 1), 1, 0, 0, long.MaxValue, sink);
        Assert.Equal(Message, sink.Bytes);
        Assert.Equal(0, budget.Held);
        Assert.False(stream.HasPending);
    }

    [Fact]
    public void DuplicatesAndOverlapsAreDeliveredOnce()
    {
        var (stream, sink, _) = Create(0);
        Assert.Equal(SegmentKind.InOrder, stream.Add(0, Message.AsSpan(0, 20), 20, 0, 0, 0, sink));
        Assert.Equal(SegmentKind.Retransmission, stream.Add(0, Message.AsSpan(0, 20), 20, 0, 0, 0, sink));
        Assert.Equal(SegmentKind.Retransmission, stream.Add(10, Message.AsSpan(10, 30), 30, 0, 0, 0, sink));
        Assert.Equal(SegmentKind.Held, stream.Add(50, Message.AsSpan(50), Message.Length - 50, 0, 0, 0, sink));
        Assert.Equal(SegmentKind.Retransmission, stream.Add(50, Message.AsSpan(50), Message.Length - 50, 0, 0, 0, sink));
        stream.Add(40, Message.AsSpan(40, 10), 10, 0, 0, long.MaxValue, sink);
        Assert.Equal(Message, sink.Bytes);
        Assert.Equal(Message.Length, stream.DeliveredBytes);
    }

    [Fact]
    public void HoleFilledQuicklyIsOutOfOrderAndLateIsRetransmission()
    {
        var (quick, sink1, _) = Create(0);
        quick.Add(10, Message.AsSpan(10, 10), 10, 1_000, 0, 5_000, sink1);
        Assert.Equal(SegmentKind.OutOfOrder, quick.Add(0, Message.AsSpan(0, 10), 10, 2_000, 0, 5_000, sink1));

        var (late, sink2, _) = Create(0);
        late.Add(10, Message.AsSpan(10, 10), 10, 1_000, 0, 5_000, sink2);
        Assert.Equal(SegmentKind.Retransmission, late.Add(0, Message.AsSpan(0, 10), 10, 900_000, 0, 5_000, sink2));
        Assert.Equal(Message[..20], sink2.Bytes);
    }

    [Fact]
    public void SequenceWrapAroundIsSeamless()
    {
        uint isn = uint.MaxValue - 10;
        for (int cut = 0; cut <= Message.Length; cut += 3)
        {
            var (stream, sink, _) = Create(isn);
            var segments = Segments(isn, Message, cut).Reverse().ToList();
            foreach (var (seq, data) in segments) stream.Add(seq, data, data.Length, 0, 0, 0, sink);
            Assert.Equal(Message, sink.Bytes);
        }
    }

    [Fact]
    public void DroppedSegmentBecomesAGapAtTheEnd()
    {
        for (int drop = 0; drop < 4; drop++)
        {
            var (stream, sink, _) = Create(100);
            var segments = Segments(100, Message, 10, 30, 50).ToList();
            for (int i = 0; i < segments.Count; i++)
                if (i != drop) stream.Add(segments[i].Seq, segments[i].Data, segments[i].Data.Length, 0, 0, 0, sink);
            stream.Finish(sink);
            byte[] expected = Message.ToArray();
            if (drop < 3) Array.Fill(expected, (byte)'#', (int)(segments[drop].Seq - 100), segments[drop].Data.Length);
            else expected = expected[..50];
            Assert.Equal(Encoding.ASCII.GetString(expected), sink.Text);
            Assert.Equal(drop < 3 ? segments[drop].Data.Length : 0, stream.MissedBytes);
        }
    }

    [Fact]
    public void AckBeyondAHoleSkipsItAtOnce()
    {
        var (stream, sink, _) = Create(0);
        stream.Add(0, Message.AsSpan(0, 10), 10, 0, 0, 0, sink);
        stream.Add(20, Message.AsSpan(20, 10), 10, 0, 0, 0, sink);
        stream.Acknowledged(30, sink);
        Assert.Equal(10, stream.MissedBytes);
        Assert.Equal(30u, stream.NextSeq);
        Assert.Equal(20, sink.Bytes.Count(b => b != '#'));
    }

    [Fact]
    public void ImplausiblyFarAckIsNotAGap()
    {
        var (stream, sink, _) = Create(0);
        stream.Add(0, Message.AsSpan(0, 10), 10, 0, 0, 0, sink);
        stream.Acknowledged(10 + StreamReassembler.MaxAckJump + 1, sink);
        stream.Finish(sink);
        Assert.Equal(0, stream.MissedBytes);
    }

    [Fact]
    public void AckOfTheFinIsNotAGap()
    {
        var (stream, sink, _) = Create(0);
        stream.Add(0, Message.AsSpan(0, 10), 10, 0, 0, 0, sink);
        stream.MarkFin(10);
        stream.Acknowledged(11, sink);
        stream.Finish(sink);
        Assert.Equal(0, stream.MissedBytes);
    }

    [Fact]
    public void SnapLengthCutPayloadCountsTheRestAsMissed()
    {
        var (stream, sink, _) = Create(0);
        stream.Add(0, Message.AsSpan(0, 4), 100, 0, 0, 0, sink);
        Assert.Equal(96, stream.MissedBytes);
        Assert.Equal(100u, stream.NextSeq);
        Assert.Equal(4, stream.DeliveredBytes);
    }

    [Fact]
    public void PerFlowLimitGivesUpOnTheHoleAndCountsIt()
    {
        var (stream, sink, budget) = Create(0, perFlow: 16);
        stream.Add(10, Message.AsSpan(10, 10), 10, 0, 0, 0, sink);
        Assert.Equal(10, budget.Held);
        stream.Add(20, Message.AsSpan(20, 10), 10, 0, 0, 0, sink); // would hold 20 > 16
        Assert.Equal(1, budget.LimitHits);
        Assert.Equal(10, stream.MissedBytes);
        Assert.Equal(30u, stream.NextSeq);
        Assert.Equal(0, budget.Held);
        Assert.Equal(Message[10..30], sink.Bytes.Skip(10).ToArray());
    }
}
