using System.Text;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Flows;

/// <summary>Drives a FlowTable with hand-made segments between a client and a server; collects records and bytes.</summary>
internal sealed class FlowHarness : IFlowListener, IStreamSink
{
    public static readonly Endpoint Client = new(Address.Parse("10.0.0.1"), 40000);
    public static readonly Endpoint Server = new(Address.Parse("10.0.0.2"), 5222);

    public readonly FlowTable Table;
    public readonly List<FlowRecord> Records = [];
    public readonly StringBuilder Stream = new();
    private long _frame;

    public FlowHarness(FlowLimits? limits = null) => Table = new FlowTable(this, limits);

    /// <summary>Capture time in milliseconds.</summary>
    public long Ms { get; set; }

    public FlowRecord Single()
    {
        Table.Flush();
        return Assert.Single(Records);
    }

    public void C(TcpFlags flags, uint seq, uint ack, string data = "", ushort window = 1000, Endpoint? from = null, Endpoint? to = null) =>
        Send(from ?? Client, to ?? Server, flags, seq, ack, data, window);

    public void S(TcpFlags flags, uint seq, uint ack, string data = "", ushort window = 1000) =>
        Send(Server, Client, flags, seq, ack, data, window);

    public void Send(Endpoint from, Endpoint to, TcpFlags flags, uint seq, uint ack, string data, ushort window = 1000, IpProtocol protocol = IpProtocol.Tcp)
    {
        TestPackets.Send(Table, ++_frame, Ms, from, to, protocol, seq, ack, flags, Encoding.ASCII.GetBytes(data), window);
    }

    public void Udp(Endpoint from, Endpoint to, string data) => Send(from, to, TcpFlags.None, 0, 0, data, 0, IpProtocol.Udp);

    /// <summary>A full handshake with ISNs 100 (client) and 500 (server), 10 ms apart.</summary>
    public void Handshake()
    {
        C(TcpFlags.Syn, 100, 0);
        Ms += 10;
        S(TcpFlags.Syn | TcpFlags.Ack, 500, 101);
        Ms += 10;
        C(TcpFlags.Ack, 101, 501);
    }

    public void FlowStarted(Flow flow) => flow.Sink = this;

    public void FlowEnded(Flow flow, FlowRecord record) => Records.Add(record);

    public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame) =>
        Stream.Append(from == FlowSide.Client ? '>' : '<').Append(Encoding.ASCII.GetString(data));

    public void OnGap(FlowSide from, long length) => Stream.Append($"[gap {length}]");
}
