using System.Runtime.CompilerServices;
using System.Text;
using XmppSniff.Analysis.Buffers;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>
/// Where bytes last (a mapped capture, see <see cref="LastingBytes"/>), the text-only pieces of an unfinished
/// element are held by reference and read once markup arrives: the records are those of the same bytes copied.
/// </summary>
public sealed unsafe class HeldByReferenceTests : IDisposable
{
    private readonly byte[] _stream;
    private readonly List<int> _forgotten = [];

    public HeldByReferenceTests()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(XmppHarness.ClientHeader
            + "<message to='a@example.com' id='m1'><body>" + new string('x', 20_000) + " &amp; é > " + new string('y', 5_000)
            + "</body><active xmlns='http://jabber.org/protocol/chatstates'/></message><presence/><message id='m2'><body>hi</body></message>");
        _stream = GC.AllocateArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(_stream);
        LastingBytes.OnThisThread((byte*)Unsafe.AsPointer(ref _stream[0]), _stream.Length, piece => _forgotten.Add(piece.Length));
    }

    public void Dispose() => LastingBytes.OnThisThread(null, 0, null);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1_000)]
    [InlineData(4_096)]
    public void PiecesHeldByReferenceGiveTheRecordsOfCopies(int pieceSize)
    {
        // The first piece ends in the body's text, as a segment usually does: from an empty hold an unfinished
        // element is referred to; bytes already copied go on being copied.
        int first = _stream.AsSpan().IndexOf("<body>"u8) + 300;
        var harness = new XmppHarness().FeedInPlace(FlowSide.Client, _stream.AsSpan(0, first));
        int mostReferred = 0;
        for (int at = first; at < _stream.Length; at += pieceSize)
        {
            harness.FeedInPlace(FlowSide.Client, _stream.AsSpan(at, Math.Min(pieceSize, _stream.Length - at)));
            mostReferred = Math.Max(mostReferred, harness.Analyzer.Referring(FlowSide.Client));
        }
        Assert.Equal(XmppHarness.Whole(_stream), harness.End().Elements);
        Assert.InRange(mostReferred, 20_000, 26_000); // the body's text waited by reference, not the markup after it
        Assert.InRange(_forgotten.Sum(), mostReferred, _stream.Length); // each piece read back once, then let go
    }

    [Fact]
    public void AGapOrTheEndInsideAnElementHeldByReferenceIsReportedAsWithCopies()
    {
        int cut = 15_000;
        foreach (bool gap in new[] { true, false })
        {
            var copies = new XmppHarness();
            var inPlace = new XmppHarness();
            for (int at = 0; at < cut; at += 1_000)
            {
                copies.Feed(FlowSide.Client, _stream.AsSpan(at, 1_000));
                inPlace.FeedInPlace(FlowSide.Client, _stream.AsSpan(at, 1_000));
            }
            Assert.True(inPlace.Analyzer.Referring(FlowSide.Client) > 10_000);
            if (gap)
            {
                copies.Gap(FlowSide.Client, 100).Feed(FlowSide.Client, _stream.AsSpan(cut + 100));
                inPlace.Gap(FlowSide.Client, 100).FeedInPlace(FlowSide.Client, _stream.AsSpan(cut + 100));
            }
            Assert.Equal(copies.End().Elements, inPlace.End().Elements);
            Assert.Equal(0, inPlace.Analyzer.Holding(FlowSide.Client));
        }
    }

    [Fact]
    public void TextAfterAnUnfinishedTagIsReadWhenItArrives()
    {
        // The tag is cut after "<subj", and the text-only piece that ends it makes it malformed: reported with that
        // piece's frame, as with copies, not with the frame of the next markup.
        byte[] bytes = Encoding.UTF8.GetBytes(XmppHarness.ClientHeader + "<message id='m3'><body>" + new string('x', 3_000) + "</body><subject x=1>bad</subject></message><presence/>");
        byte[] lasting = GC.AllocateArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(lasting);
        LastingBytes.OnThisThread((byte*)Unsafe.AsPointer(ref lasting[0]), lasting.Length, null);
        int cut = bytes.AsSpan().IndexOf("ect x=1>"u8), markup = cut + "ect x=1>bad".Length;
        var copies = new XmppHarness()
            .Feed(FlowSide.Client, bytes.AsSpan(0, cut), frame: 1).Feed(FlowSide.Client, bytes.AsSpan(cut, markup - cut), frame: 2).Feed(FlowSide.Client, bytes.AsSpan(markup), frame: 3);
        var inPlace = new XmppHarness()
            .FeedInPlace(FlowSide.Client, lasting.AsSpan(0, cut), frame: 1);
        Assert.True(inPlace.Analyzer.Referring(FlowSide.Client) > 3_000);
        inPlace.FeedInPlace(FlowSide.Client, lasting.AsSpan(cut, markup - cut), frame: 2).FeedInPlace(FlowSide.Client, lasting.AsSpan(markup), frame: 3);
        List<XmppElement> expected = copies.End().Elements;
        Assert.Contains(expected, e => e.Kind == "note" && e.LastFrame == 2);
        Assert.Equal(expected, inPlace.End().Elements);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PiecesThatDoNotLastOrOutgrowTheLimitEndTheWaitAsWithCopies(bool overLimit)
    {
        // Every third piece is a copy (bytes reassembled out of order are), or the element outgrows a 4 KiB limit.
        var options = new XmppOptions { MaxElementBytes = overLimit ? 4_096 : 1 << 20 };
        var copies = new XmppHarness(options);
        var mixed = new XmppHarness(options);
        for (int at = 0, i = 0; at < _stream.Length; at += 1_000, i++)
        {
            ReadOnlySpan<byte> piece = _stream.AsSpan(at, Math.Min(1_000, _stream.Length - at));
            copies.Feed(FlowSide.Client, piece, time: i, frame: i + 1);
            if (i % 3 == 2 && !overLimit) mixed.Feed(FlowSide.Client, piece, time: i, frame: i + 1);
            else mixed.FeedInPlace(FlowSide.Client, piece, time: i, frame: i + 1);
        }
        List<XmppElement> expected = copies.End().Elements;
        Assert.Equal(overLimit, expected.Any(e => e.Truncated));
        Assert.Equal(expected, mixed.End().Elements);
        Assert.True(mixed.MaxHeld <= options.MaxElementBytes + 1_000, $"held {mixed.MaxHeld}"); // referred to or copied, as bounded
    }

    [Fact]
    public void BytesThatDoNotLastAreCopied()
    {
        var harness = new XmppHarness();
        for (int at = 0; at < 15_000; at += 1_000) harness.Feed(FlowSide.Client, _stream.AsSpan(at, 1_000));
        Assert.Equal(0, harness.Analyzer.Referring(FlowSide.Client));
        Assert.True(harness.Analyzer.Holding(FlowSide.Client) > 10_000);
    }
}
