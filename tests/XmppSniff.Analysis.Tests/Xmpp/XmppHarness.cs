using System.Text;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>
/// Feeds an <see cref="XmppAnalyzer"/> as a host would: keeps each side's unconsumed bytes and
/// offers them again with the next chunk. Every chunk carries frame 1 and time 0, so results
/// from different splits of the same bytes compare equal.
/// </summary>
internal sealed class XmppHarness
{
    private static readonly Endpoint Client = new(Address.Parse("10.0.0.1"), 40000);
    private static readonly Endpoint Server = new(Address.Parse("10.0.0.2"), 5222);
    private readonly Dictionary<FlowSide, List<byte>> _held = new() { [FlowSide.Client] = [], [FlowSide.Server] = [] };

    public XmppHarness(XmppOptions? options = null) =>
        Analyzer = new XmppAnalyzer(1, Client, Server, Elements.Add, options);

    public XmppAnalyzer Analyzer { get; }

    public List<XmppElement> Elements { get; } = [];

    public long MaxHeld { get; private set; }

    public XmppHarness Feed(FlowSide side, ReadOnlySpan<byte> chunk, long time = 0, long frame = 1)
    {
        List<byte> held = _held[side];
        held.AddRange(chunk.ToArray());
        byte[] offer = held.ToArray();
        int used = Analyzer.Consume(side, offer, new StreamPosition(time, frame));
        Assert.InRange(used, 0, offer.Length);
        held.RemoveRange(0, used);
        MaxHeld = Math.Max(MaxHeld, held.Count);
        return this;
    }

    public XmppHarness Feed(FlowSide side, string text, long time = 0, long frame = 1) => Feed(side, Encoding.UTF8.GetBytes(text), time, frame);

    /// <summary>As the host does: the held bytes of that side are dropped, then the analyzer is told.</summary>
    public XmppHarness Gap(FlowSide side, long length)
    {
        _held[side].Clear();
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
