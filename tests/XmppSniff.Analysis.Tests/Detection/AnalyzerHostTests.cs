using System.Text;
using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Echo;
using XmppSniff.Analysis.Tests.Flows;
using XmppSniff.Core;
using static XmppSniff.Core.TcpFlags;

namespace XmppSniff.Analysis.Tests.Detection;

public class AnalyzerHostTests
{
    /// <summary>A line protocol for tests: consumes whole lines only and records them with their side.</summary>
    private sealed class LineAnalyzer : IStreamAnalyzer
    {
        public readonly List<string> Lines = [];

        public string? Violation { get; set; }

        public int Consume(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
        {
            int used = 0;
            for (int nl; (nl = data[used..].IndexOf((byte)'\n')) >= 0; used += nl + 1)
                Lines.Add((from == FlowSide.Client ? ">" : "<") + Encoding.ASCII.GetString(data.Slice(used, nl)));
            return used;
        }

        public void Gap(FlowSide from, long length) => Lines.Add($"gap {length}");

        public void End(FlowRecord record)
        {
        }

        public IReadOnlyDictionary<string, object?> Describe() => new Dictionary<string, object?> { ["lines"] = Lines.Count };
    }

    private static (ProtocolRegistry Registry, Func<LineAnalyzer> Last) LineRegistry(ushort port = 5222, Func<ReadOnlySpan<byte>, ReadOnlySpan<byte>, ProbeResult>? probe = null)
    {
        LineAnalyzer? last = null;
        var lines = new ProtocolDescriptor("lines", new HashSet<ushort> { port },
            probe ?? ((c, s) => c.Length >= 4 ? (c.StartsWith("LINE"u8) ? ProbeResult.Yes : ProbeResult.No) : ProbeResult.NeedMore),
            _ => last = new LineAnalyzer());
        return (new ProtocolRegistry([lines, EchoProtocol.Descriptor]), () => last!);
    }

    private sealed class Harness : IFlowListener
    {
        private readonly ProtocolRegistry _registry;
        public readonly List<FlowRecord> Records = [];
        public readonly FlowHarness Flows;

        public Harness(ProtocolRegistry registry)
        {
            _registry = registry;
            Flows = new FlowHarness();
            Table = new FlowTable(this);
        }

        public FlowTable Table { get; }

        public void FlowStarted(Flow flow) => flow.Sink = new AnalyzerHost(flow, _registry);

        public void FlowEnded(Flow flow, FlowRecord record) => Records.Add(((AnalyzerHost)flow.Sink!).End(record));

        public uint ClientSeq = 101, ServerSeq = 501;

        public void C(string data) => Send(FlowHarness.Client, FlowHarness.Server, ref ClientSeq, ServerSeq, data);

        public void S(string data) => Send(FlowHarness.Server, FlowHarness.Client, ref ServerSeq, ClientSeq, data);

        private void Send(Endpoint from, Endpoint to, ref uint seq, uint ack, string data)
        {
            byte[] payload = Encoding.ASCII.GetBytes(data);
            TestPackets.Send(Table, 0, 0, from, to, IpProtocol.Tcp, seq, ack, Ack | Psh, payload);
            seq += (uint)payload.Length;
        }

        public FlowRecord Single()
        {
            Table.Flush();
            return Assert.Single(Records);
        }
    }

    [Fact]
    public void HeldOpeningBytesAreReplayedInArrivalOrderThenConsumedAsTheyComplete()
    {
        var (registry, last) = LineRegistry();
        var h = new Harness(registry);
        h.C("LI");            // not enough to decide
        h.S("hello\nwo");     // server bytes held too
        h.C("NE one\nLINE t"); // now the probe says yes
        h.S("rld\n");
        h.C("wo\n");
        FlowRecord r = h.Single();
        Assert.Equal("lines", r.App);
        Assert.Equal(["<hello", ">LINE one", "<world", ">LINE two"], last().Lines);
        Assert.Equal(4, ((IReadOnlyDictionary<string, object?>)r.Details!["lines"]!)["lines"]);
    }

    [Fact]
    public void SplitAtEveryByteGivesTheSameLines()
    {
        const string stream = "LINE 1\nLINE 22\n\nLINE 333\n";
        for (int cut = 0; cut <= stream.Length; cut++)
        {
            var (registry, last) = LineRegistry();
            var h = new Harness(registry);
            h.C(stream[..cut]);
            h.C(stream[cut..]);
            h.Single();
            Assert.Equal([">LINE 1", ">LINE 22", ">", ">LINE 333"], last().Lines);
        }
    }

    [Fact]
    public void EchoIsRecognisedOnAnyPortAndOtherTrafficIsUnknown()
    {
        var (registry, _) = LineRegistry();
        var echo = new Harness(registry);
        echo.C("ping 1");
        echo.S("ping 1");
        echo.C("ping 2");
        echo.S("ping 2");
        FlowRecord r = echo.Single();
        Assert.Equal("echo", r.App);
        Assert.Equal(12L, ((IReadOnlyDictionary<string, object?>)r.Details!["echo"]!)["echoed_bytes"]);

        var other = new Harness(registry);
        other.C("GET / HTTP/1.1\r\n\r\n");
        other.S("HTTP/1.1 200 OK\r\n\r\n");
        Assert.Equal("unknown", other.Single().App);
    }

    [Fact]
    public void AnEchoThatStopsEchoingIsAViolationAndTheFlowIsUnknownWithANote()
    {
        var (registry, _) = LineRegistry();
        var h = new Harness(registry);
        h.C("ping 1");
        h.S("ping 1");
        h.C("ping 2");
        h.S("pong 2");
        FlowRecord r = h.Single();
        Assert.Equal("unknown", r.App);
        Assert.Contains(r.Notes, n => n.StartsWith("not echo:"));
    }

    [Fact]
    public void AProtocolOnItsPortThatNeedsMoreOutranksAProbeElsewhere()
    {
        // The line protocol owns the server port and still needs 4 bytes; echo already matches.
        var (registry, _) = LineRegistry(probe: (c, s) => c.Length >= 10 ? ProbeResult.No : ProbeResult.NeedMore);
        var h = new Harness(registry);
        h.C("abc");
        h.S("abc");
        h.C("defghijk");
        h.S("defghijk");
        Assert.Equal("echo", h.Single().App); // once the port's protocol said no, echo wins
    }

    [Fact]
    public void BytesOfASideThatGrowPastTheProbeLimitLeaveTheFlowUnknown()
    {
        var (registry, _) = LineRegistry(probe: (c, s) => ProbeResult.NeedMore);
        var h = new Harness(registry);
        h.C(new string('x', AnalyzerHost.ProbeBytes + 1));
        Assert.Equal("unknown", h.Single().App);
    }
}
