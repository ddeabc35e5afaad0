using System.Text;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Reassembly;

/// <summary>
/// Overlapping segments that disagree (an IDS-evasion classic): the copy that arrived first wins,
/// whichever order they are delivered in, and each disagreeing segment is counted once.
/// </summary>
public class OverlapAndLimitTests
{
    private static (StreamReassembler Stream, CollectingSink Sink, BufferBudget Budget) Create(uint isn, long perFlow = 1 << 20, long total = 1 << 30)
    {
        var budget = new BufferBudget(perFlow, total);
        var stream = new StreamReassembler(FlowSide.Client, budget, new FlowHold());
        stream.Start(isn);
        return (stream, new CollectingSink(), budget);
    }

    private static byte[] A(string s) => Encoding.ASCII.GetBytes(s);

    private static void Add(StreamReassembler stream, CollectingSink sink, uint seq, string data) =>
        stream.Add(seq, A(data), data.Length, 0, 0, 0, sink);

    [Theory]
    [InlineData(0u)]
    [InlineData(uint.MaxValue - 5)] // the same with the sequence numbers wrapping inside the overlap
    public void HeldSegmentWinsOverALaterHeldOneThatStartsEarlier(uint isn)
    {
        var (stream, sink, budget) = Create(isn);
        Add(stream, sink, isn + 6, "GOOD");     // held first: bytes 6..9
        Add(stream, sink, isn + 4, "xxEVIL");   // held second, earlier start, covers 4..9
        Add(stream, sink, isn, "0123");         // fills the hole
        Assert.Equal("0123xxGOOD", sink.Text);
        Assert.Equal(1, budget.OverlapConflicts);
    }

    [Fact]
    public void HeldSegmentWinsOverALaterHeldOneThatCoversIt()
    {
        var (stream, sink, budget) = Create(0);
        Add(stream, sink, 5, "ab");
        Add(stream, sink, 3, "XXXXXXX"); // 3..9 over the held 5..6
        Add(stream, sink, 0, "012");
        Assert.Equal("012XXabXXX", sink.Text);
        Assert.Equal(1, budget.OverlapConflicts);
    }

    [Fact]
    public void HeldBytesWinOverTheInOrderSegmentThatFillsTheHole()
    {
        var (stream, sink, budget) = Create(0);
        Add(stream, sink, 4, "GOOD");
        Add(stream, sink, 0, "0123EVIL++"); // in order, reaching over the held bytes and past them
        Assert.Equal("0123GOOD++", sink.Text);
        Assert.Equal(1, budget.OverlapConflicts);
        Assert.Equal(0, budget.Held);
    }

    [Fact]
    public void SameSeqShorterRetransmissionWithOtherBytesIsCountedAndIgnored()
    {
        var (stream, sink, budget) = Create(0);
        Add(stream, sink, 4, "GOOD");
        Add(stream, sink, 4, "BAD");
        Add(stream, sink, 0, "0123");
        Assert.Equal("0123GOOD", sink.Text);
        Assert.Equal(1, budget.OverlapConflicts);
    }

    [Fact]
    public void IdenticalOverlapsAreNotConflicts()
    {
        const string text = "0123456789abcdefghij";
        var (stream, sink, budget) = Create(0);
        Add(stream, sink, 10, text[10..]);
        Add(stream, sink, 5, text[5..15]);
        Add(stream, sink, 12, text[12..18]);
        Add(stream, sink, 0, text[..12]);
        Assert.Equal(text, sink.Text);
        Assert.Equal(0, budget.OverlapConflicts);
    }

    [Fact]
    public void TotalLimitIsCountedApartFromThePerFlowLimit()
    {
        var budget = new BufferBudget(perFlowLimit: 100, totalLimit: 15);
        var sink = new CollectingSink();
        var first = new StreamReassembler(FlowSide.Client, budget, new FlowHold());
        var second = new StreamReassembler(FlowSide.Client, budget, new FlowHold());
        first.Start(0);
        second.Start(0);
        first.Add(10, new byte[10], 10, 0, 0, 0, sink);
        second.Add(10, new byte[10], 10, 0, 0, 0, sink); // 20 > 15 in total, 10 < 100 for the flow
        Assert.Equal(1, budget.LimitHits);
        Assert.Equal(1, budget.TotalLimitHits);
        Assert.Equal(0, budget.PerFlowLimitHits);
        Assert.Equal(10, second.MissedBytes);
        Assert.True(budget.PeakHeld <= 15);

        var (stream, s2, perFlow) = Create(0, perFlow: 16);
        Add(stream, s2, 10, "0123456789");
        Add(stream, s2, 20, "0123456789");
        Assert.Equal(1, perFlow.PerFlowLimitHits);
        Assert.Equal(0, perFlow.TotalLimitHits);
    }
}
