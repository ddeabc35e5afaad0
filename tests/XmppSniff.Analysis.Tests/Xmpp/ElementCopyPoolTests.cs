using System.Runtime.InteropServices;
using System.Text;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>Large element copies reused once their record is given back, and only then.</summary>
public class ElementCopyPoolTests
{
    private const string Header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    private static string Message(char fill, int size) => $"<message id='{fill}' to='juliet@example.com'><body>{new string(fill, size)}</body></message>";

    private static byte[] ArrayOf(Utf8Text? text) => MemoryMarshal.TryGetArray(text!.Value.Bytes, out ArraySegment<byte> s) ? s.Array! : [];

    [Fact]
    public void AGivenBackCopyCarriesTheNextLargeElementAndOnlyThen()
    {
        var pool = new ElementCopyPool();
        var harness = new XmppHarness(new XmppOptions { Copies = pool });
        harness.Feed(FlowSide.Client, Header + Message('a', 70_000) + Message('b', 70_000));
        XmppElement a = harness.Elements[1], b = harness.Elements[2];
        Assert.NotSame(ArrayOf(a.XmlUtf8), ArrayOf(b.XmlUtf8)); // a was not given back: b had its own array
        Assert.Same(ArrayOf(b.XmlUtf8), ArrayOf(b.BodyUtf8));
        Assert.Equal(0, pool.Reused);

        pool.Release(a);
        pool.Release(a); // twice, or an element that refers to no pooled array, changes nothing
        pool.Release(harness.Elements[0]);
        harness.Feed(FlowSide.Client, Message('c', 69_000) + Message('d', 70_000));
        XmppElement c = harness.Elements[3], d = harness.Elements[4];
        Assert.Equal(1, pool.Reused);
        Assert.Same(ArrayOf(a.XmlUtf8), ArrayOf(c.XmlUtf8));
        Assert.NotSame(ArrayOf(c.XmlUtf8), ArrayOf(d.XmlUtf8));
        Assert.Equal(Message('c', 69_000), c.Xml);
        Assert.Equal(new string('c', 69_000), c.Body);
        Assert.Equal(Message('b', 70_000), b.Xml);
        Assert.Equal(Message('d', 70_000), d.Xml);
    }

    [Fact]
    public void SmallElementsAndElementsOfRunsWithoutAPoolDoNotUseIt()
    {
        var pool = new ElementCopyPool();
        var pooled = new XmppHarness(new XmppOptions { Copies = pool });
        pooled.Feed(FlowSide.Client, Header + Message('a', 100) + Message('b', 100));
        pool.Release(pooled.Elements[1]);
        pooled.Feed(FlowSide.Client, Message('c', 100));
        Assert.Equal(0, pool.Reused);
        Assert.Equal(Message('a', 100), pooled.Elements[1].Xml); // a slice of a shared block: never handed out again

        var plain = new XmppHarness();
        plain.Feed(FlowSide.Client, Header + Message('a', 70_000));
        Assert.Equal(Encoding.UTF8.GetByteCount(Message('a', 70_000)), ArrayOf(plain.Elements[1].XmlUtf8).Length);
    }

    [Fact]
    public void AnElementThatArrivesInPiecesIsGatheredIntoTheArrayThatBecomesItsCopy()
    {
        var pool = new ElementCopyPool();
        var harness = new XmppHarness(new XmppOptions { Copies = pool });
        byte[] a = Encoding.UTF8.GetBytes(Message('a', 70_000)), after = Encoding.UTF8.GetBytes("<r xmlns='urn:xmpp:sm:3'/><presence");
        harness.Feed(FlowSide.Client, Header);
        harness.Feed(FlowSide.Client, a.AsSpan(0, 32_768));
        harness.Feed(FlowSide.Client, a.AsSpan(32_768, 32_768));
        harness.Feed(FlowSide.Client, [.. a.AsSpan(65_536), .. after]); // the message ends, a nonza and the start of a stanza follow

        XmppElement message = harness.Elements[1];
        Assert.Equal(Message('a', 70_000), message.Xml);
        Assert.Equal("r", harness.Elements[2].Name);
        Assert.Equal(3, harness.Elements.Count);
        byte[] held = ArrayOf(message.XmlUtf8);
        Assert.Equal(131_072, held.Length); // the array it was held in, not a copy of its own size
        Assert.Same(held, ArrayOf(message.BodyUtf8));
        Assert.Equal("<presence".Length, harness.Analyzer.Holding(FlowSide.Client)); // the rest moved out of the message's array

        Assert.Equal(0, pool.Reused);
        pool.Release(message);
        string b = Message('b', 100_000);
        harness.Feed(FlowSide.Client, "/>" + b[..100_000]);
        harness.Feed(FlowSide.Client, b[100_000..]);
        Assert.Equal("presence", harness.Elements[3].Name);
        Assert.Equal(b, harness.Elements[4].Xml);
        Assert.Equal(1, pool.Reused);
        Assert.Same(held, ArrayOf(harness.Elements[4].XmlUtf8)); // held in the array the first message gave back
    }

    [Fact]
    public void ARentIsServedByAKeptArrayUpToEightTimesItsSize()
    {
        var pool = new ElementCopyPool();
        byte[] large = pool.Rent(64 << 10), huge = pool.Rent(1 << 20);
        pool.Return(large);
        pool.Return(huge);
        Assert.Same(large, pool.Rent(8 << 10));
        Assert.NotSame(huge, pool.Rent(8 << 10)); // 128 times larger: not worth holding for a small element
        Assert.Equal(1, pool.Reused);
    }

    [Fact]
    public void AnElementHeldWithoutAPoolIsCopiedAtItsOwnSize()
    {
        var harness = new XmppHarness();
        string message = Message('a', 70_000);
        harness.Feed(FlowSide.Client, Header + message[..30_000]);
        harness.Feed(FlowSide.Client, message[30_000..]);
        Assert.Equal(message, harness.Elements[1].Xml);
        Assert.Equal(message.Length, ArrayOf(harness.Elements[1].XmlUtf8).Length);
    }

    [Fact]
    public async Task AnElementGivenBackWhileCopiesAreMadeKeepsNoOneElsesArray()
    {
        // The writer gives records back while an analysing thread copies new elements: each record's body is a slice
        // of its XML's array, and that array, once back, may be lent again before the body is looked at.
        var pool = new ElementCopyPool();
        var handed = new System.Collections.Concurrent.BlockingCollection<(XmppElement Element, byte Fill)>(boundedCapacity: 64);
        var ends = new FlowEnds(1, default, default);
        int changed = 0;
        var writer = Task.Run(() =>
        {
            foreach (var (element, fill) in handed.GetConsumingEnumerable())
            {
                if (element.XmlUtf8!.Value.Bytes.Span.IndexOfAnyExcept(fill) >= 0) changed++;
                pool.Release(element);
            }
        });
        for (int i = 0; i < 50_000; i++)
        {
            byte fill = (byte)('a' + i % 26);
            ReadOnlyMemory<byte> copy = pool.Copy(Enumerable.Repeat(fill, ElementCopyPool.MinBytes + i % 64).ToArray());
            handed.Add((new XmppElement
            {
                Ends = ends, Direction = FlowSide.Client, Time = 0, FirstFrame = 1, LastFrame = 1, Kind = "stanza", Name = "message",
                Summary = "", XmlUtf8 = new Utf8Text(copy), BodyUtf8 = new Utf8Text(copy[1..]),
            }, fill));
        }
        handed.CompleteAdding();
        await writer;
        Assert.Equal(0, changed); // elements whose bytes changed before they were given back
    }
}
