using System.Text;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Reassembly;

/// <summary>
/// A retransmission of bytes already delivered with other contents (Zeek's rexmit_inconsistency):
/// the delivered bytes stay, and the difference is counted once per segment, as long as the
/// delivery it contradicts is among the last few remembered.
/// </summary>
public class RetransmissionConflictTests
{
    private readonly BufferBudget _budget = new(1 << 20, 1 << 30);
    private readonly CollectingSink _sink = new();

    private StreamReassembler Create(uint isn)
    {
        var stream = new StreamReassembler(FlowSide.Client, _budget, new FlowHold());
        stream.Start(isn);
        return stream;
    }

    private SegmentKind Add(StreamReassembler stream, uint seq, string data) =>
        stream.Add(seq, Encoding.ASCII.GetBytes(data), data.Length, 0, 0, 0, _sink);

    /// <summary>Text long enough to take the vectorised part of the fingerprint and a tail after it.</summary>
    private static readonly string Long = string.Concat(Enumerable.Range(0, 40).Select(i => (char)('a' + i % 26)));

    [Theory]
    [InlineData(0u)]
    [InlineData(uint.MaxValue - 20)] // the sequence numbers wrap inside the delivered bytes
    public void SameBytesAgainAreNotAConflict(uint isn)
    {
        StreamReassembler stream = Create(isn);
        Add(stream, isn, Long);
        Assert.Equal(SegmentKind.Retransmission, Add(stream, isn, Long));
        Assert.Equal(Long, _sink.Text);
        Assert.Equal(0, _budget.RetransmissionConflicts);
    }

    [Theory]
    [InlineData(0u, 0)]
    [InlineData(0u, 39)] // last byte: in the tail after the vectors
    [InlineData(0u, 17)] // inside a vector
    [InlineData(uint.MaxValue - 20, 30)]
    public void OtherBytesAreCountedOnceAndTheFirstCopyStays(uint isn, int changed)
    {
        StreamReassembler stream = Create(isn);
        Add(stream, isn, Long);
        char[] evil = Long.ToCharArray();
        evil[changed] = 'X';
        Assert.Equal(SegmentKind.Retransmission, Add(stream, isn, new string(evil)));
        Add(stream, isn + (uint)Long.Length, "!");
        Assert.Equal(Long + "!", _sink.Text);
        Assert.Equal(1, _budget.RetransmissionConflicts);
        Assert.Equal(0, _budget.OverlapConflicts);
    }

    [Fact]
    public void SwappedWordsAreAConflict()
    {
        StreamReassembler stream = Create(0);
        string text = "AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDDEEEEEEEEFFFFFFFF";
        Add(stream, 0, text);
        Add(stream, 0, "BBBBBBBBAAAAAAAA" + text[16..]); // same sum of words, other order
        Assert.Equal(1, _budget.RetransmissionConflicts);
    }

    [Fact]
    public void ShortSegmentsAreCompared()
    {
        StreamReassembler stream = Create(0);
        Add(stream, 0, "ab");
        Add(stream, 2, "c");
        Add(stream, 2, "d");
        Add(stream, 0, "ab");
        Assert.Equal("abc", _sink.Text);
        Assert.Equal(1, _budget.RetransmissionConflicts);
    }

    [Fact]
    public void OneRetransmissionCoveringSeveralDeliveriesIsComparedWithEach()
    {
        StreamReassembler stream = Create(0);
        Add(stream, 0, "0123");
        Add(stream, 4, "4567");
        Add(stream, 8, "89ab");
        Add(stream, 0, "0123456789ab"); // coalesced resend, as Linux does: no conflict
        Assert.Equal(0, _budget.RetransmissionConflicts);
        Add(stream, 0, "01234X6789ab"); // one byte off in the middle run: counted once
        Assert.Equal(1, _budget.RetransmissionConflicts);
        Add(stream, 2, "23456789"); // covers only the middle run whole: it matches
        Add(stream, 2, "2X456789"); // the changed byte is in run 0, which it covers only in part: not compared
        Assert.Equal(1, _budget.RetransmissionConflicts);
        Assert.Equal("0123456789ab", _sink.Text);
    }

    [Fact]
    public void ResentBytesBeforeNewOnesAreComparedAndTheNewOnesDelivered()
    {
        StreamReassembler stream = Create(0);
        Add(stream, 0, "0123");
        Assert.Equal(SegmentKind.Retransmission, Add(stream, 0, "EVILnew")); // overlaps, then new bytes
        Assert.Equal("0123new", _sink.Text);
        Assert.Equal(1, _budget.RetransmissionConflicts);
    }

    [Fact]
    public void PartOfADeliveryIsNotCompared()
    {
        // Documented limit: only runs the retransmission covers whole are compared.
        StreamReassembler stream = Create(0);
        Add(stream, 0, "01234567");
        Add(stream, 2, "XX");   // inside the run
        Add(stream, 0, "0123"); // its first half
        Add(stream, 4, "4567XYZ"); // its second half, then new bytes
        Assert.Equal(0, _budget.RetransmissionConflicts);
        Assert.Equal("01234567XYZ", _sink.Text);
    }

    [Fact]
    public void HeldBytesDeliveredLaterAreRemembered()
    {
        StreamReassembler stream = Create(0);
        Add(stream, 4, "4567"); // held
        Add(stream, 0, "0123"); // fills the hole: both delivered
        Add(stream, 4, "45X7");
        Assert.Equal("01234567", _sink.Text);
        Assert.Equal(1, _budget.RetransmissionConflicts);
    }

    [Fact]
    public void ARetransmissionOlderThanTheRememberedDeliveriesIsNotCompared()
    {
        // Documented limit: only the last RecentDeliveries.Size deliveries are remembered.
        StreamReassembler stream = Create(0);
        for (int i = 0; i <= RecentDeliveries.Size; i++) Add(stream, (uint)i * 2, $"{i}{i}");
        Add(stream, 0, "XX"); // the first delivery, pushed out of the ring
        Assert.Equal(0, _budget.RetransmissionConflicts);
        Add(stream, 2, "XX"); // the oldest one still remembered
        Assert.Equal(1, _budget.RetransmissionConflicts);
    }

    [Fact]
    public void BytesCapturedShortAreComparedOnlyAsFarAsTheyGo()
    {
        StreamReassembler stream = Create(0);
        Add(stream, 0, "0123");
        stream.Add(0, Encoding.ASCII.GetBytes("01"), 4, 0, 0, 0, _sink); // snapped: too short to cover the run
        Assert.Equal(0, _budget.RetransmissionConflicts);
    }
}
