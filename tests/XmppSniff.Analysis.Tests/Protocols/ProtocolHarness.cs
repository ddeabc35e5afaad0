using System.Text;
using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Core;
using static XmppSniff.Core.TcpFlags;

namespace XmppSniff.Analysis.Tests.Protocols;

/// <summary>
/// One connection (or UDP flow) through the real flow table, detection and registry: the client
/// and server send bytes at chosen times; collects the flow record and what analyzers emitted.
/// </summary>
internal sealed class ProtocolHarness : IFlowListener
{
    public readonly List<FlowRecord> Flows = [];
    public readonly List<object> Emitted;
    private readonly FlowTable _table;
    private readonly Endpoint _client;
    private readonly Endpoint _server;
    private uint _clientSeq = 101, _serverSeq = 501;
    private long _frame;

    /// <param name="sameRunAs">Another harness whose run this connection belongs to (records and shared state in common).</param>
    public ProtocolHarness(ushort serverPort = 80, ushort clientPort = 40000, bool showSecrets = false, ProtocolHarness? sameRunAs = null)
    {
        _client = new Endpoint(Address.Parse("10.0.0.1"), clientPort);
        _server = new Endpoint(Address.Parse("10.0.0.2"), serverPort);
        _table = new FlowTable(this);
        Emitted = sameRunAs?.Emitted ?? [];
        _output = sameRunAs?._output ?? new AnalyzerOutput(Emitted.Add, showSecrets);
    }

    private readonly AnalyzerOutput _output;

    /// <summary>Capture time in milliseconds.</summary>
    public long Ms { get; set; }

    public IEnumerable<T> Records<T>() => Emitted.OfType<T>();

    public void FlowStarted(Flow flow)
    {
        flow.Sink = new AnalyzerHost(flow, ProtocolRegistry.Default);
        flow.Output = _output;
    }

    public void FlowEnded(Flow flow, FlowRecord record) => Flows.Add(((AnalyzerHost)flow.Sink!).End(record));

    public void C(string text) => C(Encoding.Latin1.GetBytes(text));

    public void S(string text) => S(Encoding.Latin1.GetBytes(text));

    public void C(byte[] data) => Tcp(_client, _server, ref _clientSeq, _serverSeq, data, Ack | Psh);

    public void S(byte[] data) => Tcp(_server, _client, ref _serverSeq, _clientSeq, data, Ack | Psh);

    /// <summary>The client closes with a FIN (bodies delimited by the close end here).</summary>
    public void ServerFin() => Tcp(_server, _client, ref _serverSeq, _clientSeq, [], Ack | Fin);

    /// <summary>Skips bytes of the client's stream, as a capture that missed a segment.</summary>
    public void ClientLoses(int length) => _clientSeq += (uint)length;

    public void ServerLoses(int length) => _serverSeq += (uint)length;

    public void UdpC(byte[] data) => Send(_client, _server, IpProtocol.Udp, 0, 0, data, None);

    public void UdpS(byte[] data) => Send(_server, _client, IpProtocol.Udp, 0, 0, data, None);

    public FlowRecord End()
    {
        _table.Flush();
        return Assert.Single(Flows);
    }

    private void Tcp(Endpoint from, Endpoint to, ref uint seq, uint ack, byte[] data, TcpFlags flags)
    {
        Send(from, to, IpProtocol.Tcp, seq, ack, data, flags);
        seq += (uint)data.Length + ((flags & Fin) != 0 ? 1u : 0u);
    }

    private void Send(Endpoint from, Endpoint to, IpProtocol protocol, uint seq, uint ack, byte[] data, TcpFlags flags) =>
        TestPackets.Send(_table, ++_frame, Ms, from, to, protocol, seq, ack, flags, data);
}
