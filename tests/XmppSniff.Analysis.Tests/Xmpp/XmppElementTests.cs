using System.Text;
using XmppSniff.Core;
using Xunit;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>The record keeps optional values without flags of their own; none, empty and a value must stay apart.</summary>
public class XmppElementTests
{
    private static readonly FlowEnds Ends = new(7, new Endpoint(Address.Parse("10.0.0.1"), 40000), new Endpoint(Address.Parse("10.0.0.2"), 5222));

    private static XmppElement Element(Utf8Text? id = null, double? rtt = null) => new()
    {
        Ends = Ends, Direction = FlowSide.Client, Time = 1, FirstFrame = 1, LastFrame = 1, Kind = "stanza", Name = "iq",
        Summary = "iq", IdUtf8 = id, RttMs = rtt,
    };

    private static Utf8Text Text(string s) => new(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void AnEmptyValueIsNotNone()
    {
        Assert.Null(Element().IdUtf8);
        Assert.Null(Element().Id);
        Assert.Equal("", Element(Text("")).Id);
        Assert.Equal("", Element(new Utf8Text(default)).Id);
        Assert.NotEqual(Element(), Element(Text("")));
    }

    [Fact]
    public void ValuesCompareByContentWhereverTheirBytesAre()
    {
        byte[] block = Encoding.UTF8.GetBytes("xx42yy");
        Assert.Equal(Element(Text("42")), Element(new Utf8Text(block.AsMemory(2, 2))));
        Assert.Equal(Element(Text("42")).GetHashCode(), Element(new Utf8Text(block.AsMemory(2, 2))).GetHashCode());
        Assert.NotEqual(Element(Text("42")), Element(Text("43")));
    }

    [Fact]
    public void NoRoundTripIsNotAZeroRoundTrip()
    {
        Assert.Null(Element().RttMs);
        Assert.Equal(0.0, Element(rtt: 0).RttMs);
        Assert.NotEqual(Element(), Element(rtt: 0));
    }

    [Fact]
    public void TheConnectionIsSharedNotCopied()
    {
        XmppElement e = Element();
        Assert.Equal((7L, Ends.Client, Ends.Server), (e.Flow, e.Client, e.Server));
        var kept = new XmppElement[1000]; // kept, so none is allocated on the stack
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < kept.Length; i++) kept[i] = Element();
        long perRecord = (GC.GetAllocatedBytesForCurrentThread() - before) / kept.Length;
        Assert.True(perRecord <= 208, $"{perRecord} bytes a record");
        Assert.All(kept, k => Assert.Same(Ends, k.Ends));
    }
}
