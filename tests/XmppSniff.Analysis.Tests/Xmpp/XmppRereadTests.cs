using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>
/// Text of an unfinished element that the capture can give back is noted rather than copied, and read in again when
/// the element's markup comes: the records are the ones copying every piece gives, however the bytes are cut.
/// </summary>
public class XmppRereadTests
{
    /// <summary>
    /// A capture file and its mapping: the analyzer is given spans of the mapping, which are scribbled over once it
    /// returns (as pages handed back), so only bytes it copied or reads again from the file can reach a record.
    /// </summary>
    private sealed class MappedCapture(byte[] file) : IRereadableBytes
    {
        public byte[] Mapping { get; } = GC.AllocateArray<byte>(file.Length, pinned: true);

        public long ReadAgain { get; private set; }

        public bool TryLocate(ReadOnlySpan<byte> bytes, out long position)
        {
            position = Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(Mapping), ref MemoryMarshal.GetReference(bytes));
            return position >= 0 && position + bytes.Length <= Mapping.Length;
        }

        public void Read(long position, Span<byte> into)
        {
            file.AsSpan((int)position, into.Length).CopyTo(into);
            ReadAgain += into.Length;
        }

        /// <summary>The analyzer's records for the file given in pieces ending at <paramref name="cuts"/>.</summary>
        public List<XmppElement> Feed(IEnumerable<int> cuts, XmppOptions options, Action<XmppHarness, int>? between = null)
        {
            file.CopyTo(Mapping);
            var harness = new XmppHarness(options);
            int at = 0;
            foreach (int cut in cuts.Where(c => c > 0 && c < file.Length).Distinct().Order().Append(file.Length))
            {
                Span<byte> piece = Mapping.AsSpan(at, cut - at);
                Assert.Equal(piece.Length, harness.Analyzer.Consume(FlowSide.Client, piece, new StreamPosition(0, 1)));
                piece.Fill((byte)'#');
                between?.Invoke(harness, cut);
                at = cut;
            }
            return harness.End().Elements;
        }
    }

    private static readonly string Body = string.Concat(Enumerable.Range(0, 2_000).Select(i => $"line {i}: caf\u00e9 &amp; more; "));

    private static readonly byte[] Session = Encoding.UTF8.GetBytes(
        XmppHarness.ClientHeader
        + $"<message to='bob@example.com' id='m1' type='chat'><body>{Body}</body></message>"
        + "<presence/>"
        + $"<message to='bob@example.com' id='m2'><body>{Body}</body><thread>t</thread></message>"
        + "<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>");

    private static IEnumerable<int> Every(int step) => Enumerable.Range(1, Session.Length / step).Select(i => i * step);

    [Theory]
    [InlineData(1448)]
    [InlineData(7)]
    [InlineData(32_000)]
    public void Pieces_read_again_from_the_capture_give_the_records_of_pieces_copied(int step)
    {
        var capture = new MappedCapture(Session);
        List<XmppElement> copied = capture.Feed(Every(step), new XmppOptions());
        List<XmppElement> reread = capture.Feed(Every(step), new XmppOptions { Rereadable = capture });
        Assert.Equal(XmppHarness.Whole(Session), copied);
        Assert.Equal(copied, reread);
        Assert.Equal(4, reread.Count(e => e.Kind is "stanza"));
        // The two bodies waited in the file, not in the analyzer, but for the pieces their markup came in.
        int bodyBytes = Encoding.UTF8.GetByteCount(Body);
        Assert.True(capture.ReadAgain >= 2 * (bodyBytes - 2 * step), $"{capture.ReadAgain} bytes read again");
    }

    [Fact]
    public void Every_single_cut_gives_the_same_records()
    {
        var capture = new MappedCapture(Session);
        List<XmppElement> whole = XmppHarness.Whole(Session);
        var options = new XmppOptions { Rereadable = capture };
        for (int cut = 1; cut < Session.Length; cut += 97)
            Assert.Equal(whole, capture.Feed([cut, cut + 1_000, cut + 20_000], options));
    }

    [Fact]
    public void An_element_over_the_limit_and_a_gap_inside_text_are_reported_as_when_copying()
    {
        var capture = new MappedCapture(Session);
        var small = new XmppOptions { MaxElementBytes = 30_000 };
        Assert.Equal(capture.Feed(Every(1448), small), capture.Feed(Every(1448), small with { Rereadable = capture }));

        // Bytes lost in the middle of the first body: the element is dropped, what was noted of it too.
        int inBody = Encoding.UTF8.GetByteCount(XmppHarness.ClientHeader) + 20_000;
        void Lose(XmppHarness h, int cut)
        {
            if (cut == inBody) h.Gap(FlowSide.Client, 100);
        }
        List<XmppElement> copied = capture.Feed(Every(1_000).Append(inBody), new XmppOptions(), Lose);
        Assert.Equal(copied, capture.Feed(Every(1_000).Append(inBody), new XmppOptions { Rereadable = capture }, Lose));
        Assert.Contains(copied, e => e.Name == "gap");
    }

    [Fact]
    public void A_connection_that_ends_inside_noted_text_reports_the_element_with_its_whole_size()
    {
        byte[] cut = Session[..(Encoding.UTF8.GetByteCount(XmppHarness.ClientHeader) + 50_000)];
        var capture = new MappedCapture(cut);
        var reread = new XmppOptions { Rereadable = capture };
        List<XmppElement> elements = capture.Feed(Enumerable.Range(1, 50).Select(i => i * 1_000), reread);
        Assert.Equal(capture.Feed(Enumerable.Range(1, 50).Select(i => i * 1_000), new XmppOptions()), elements);
        XmppElement incomplete = Assert.Single(elements, e => e.Name == "incomplete");
        Assert.Equal(50_000, incomplete.Size);
    }
}
