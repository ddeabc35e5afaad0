using System.Text;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>
/// Feeds an <see cref="XmppAnalyzer"/> as a host would, chunk by chunk; the analyzer takes every chunk
/// whole and holds what it has not read itself. Every chunk carries frame 1 and time 0, so results
/// from different splits of the same bytes compare equal.
/// </summary>
internal sealed class XmppHarness
{
    private static readonly Endpoint Client = new(Address.Parse("10.0.0.1"), 40000);
    private static readonly Endpoint Server = new(Address.Parse("10.0.0.2"), 5222);

    public XmppHarness(XmppOptions? options = null) =>
        Analyzer = new XmppAnalyzer(1, Client, Server, Elements.Add, options);

    public XmppAnalyzer Analyzer { get; }

    public List<XmppElement> Elements { get; } = [];

    public long MaxHeld { get; private set; }

    public XmppHarness Feed(FlowSide side, ReadOnlySpan<byte> chunk, long time = 0, long frame = 1)
    {
        byte[] offer = chunk.ToArray();
        Assert.Equal(offer.Length, Analyzer.Consume(side, offer, new StreamPosition(time, frame)));
        offer.AsSpan().Fill((byte)'#'); // as a reused packet buffer: nothing may refer to it now
        MaxHeld = Math.Max(MaxHeld, Analyzer.Holding(side));
        return this;
    }

    public XmppHarness Feed(FlowSide side, string text, long time = 0, long frame = 1) => Feed(side, Encoding.UTF8.GetBytes(text), time, frame);

    public XmppHarness Gap(FlowSide side, long length)
    {
        Analyzer.Gap(side, length);
        return this;
    }

    public XmppHarness End()
    {
        Analyzer.End(new FlowRecord
        {
            Id = 1, Protocol = IpProtocol.Tcp, Client = Client, Server = Server, Start = 0, End = 0,
            State = "SF", History = "", Kind = FlowKind.Long, Close = CloseKind.Fin,
        });
        return this;
    }

    /// <summary>The elements from <paramref name="bytes"/> fed in the given pieces (by cut positions).</summary>
    public static List<XmppElement> Split(byte[] bytes, IEnumerable<int> cuts, XmppOptions? options = null, FlowSide side = FlowSide.Client)
    {
        var harness = new XmppHarness(options);
        int at = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            harness.Feed(side, bytes.AsSpan(at, cut - at));
            at = cut;
        }
        return harness.End().Elements;
    }

    public static List<XmppElement> Whole(byte[] bytes, XmppOptions? options = null, FlowSide side = FlowSide.Client) =>
        Split(bytes, [], options, side);

    public static List<XmppElement> ByteByByte(byte[] bytes, XmppOptions? options = null, FlowSide side = FlowSide.Client) =>
        Split(bytes, Enumerable.Range(1, Math.Max(0, bytes.Length - 1)), options, side);

    public const string ClientHeader =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";

    public const string ServerHeader =
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.com' id='s1' version='1.0' xml:lang='en'>";
}
