using BenchmarkDotNet.Attributes;
using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Capture;
using XmppSniff.Capture.Decode;
using XmppSniff.Core;

namespace XmppSniff.Benchmarks;

/// <summary>The per-packet hot path, one operation = every frame of the seed (348 packets); allocations per operation reported.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private readonly FrameDecoder _decoder = new();
    private readonly NoListener _listener = new();

    [Benchmark]
    public int Decode()
    {
        int transport = 0;
        foreach (var (time, data) in SampleFrames.Echo)
        {
            var frame = new RawFrame(1, time, LinkType.Ethernet, 0, data.Length, data);
            if (_decoder.Decode(frame, out _) == DecodeStatus.Transport) transport++;
        }
        return transport;
    }

    /// <summary>Decode, flow lookup, TCP state, history and in-order reassembly of three connections, then their records.</summary>
    [Benchmark]
    public long DecodeAndTrackFlows()
    {
        var table = new FlowTable(_listener);
        SampleFrames.Track(SampleFrames.Echo, _decoder, table);
        return table.Counters.TcpFlows;
    }

    /// <summary>
    /// 1,000 connections that never carry a byte (a scan, a SYN flood): opened, given an analyzer host as
    /// `flows` does, and ended, each with its record; allocations per operation / 1,000 = per connection.
    /// </summary>
    [Benchmark]
    public long OpenAndEndConnections()
    {
        var table = new FlowTable(_hosts);
        for (int i = 0; i < Clients.Length; i++)
        {
            var syn = new Packet
            {
                Number = i + 1, Time = i * 10_000L, Source = Clients[i], Destination = Server, Protocol = IpProtocol.Tcp,
                Sequence = (uint)i, Flags = TcpFlags.Syn, Window = 64240, FrameLength = 74,
            };
            table.Process(ref syn);
        }
        table.Flush();
        return table.Counters.TcpFlows;
    }

    private static readonly Endpoint Server = new(Address.Parse("10.0.0.2"), 5222);
    private static readonly Endpoint[] Clients = [.. Enumerable.Range(0, 1000).Select(i => new Endpoint(Address.Parse($"10.1.{i >> 8}.{i & 255}"), 40000))];
    private readonly HostListener _hosts = new();

    private sealed class HostListener : IFlowListener
    {
        public void FlowStarted(Flow flow) => flow.Sink = new AnalyzerHost(flow, ProtocolRegistry.Default);

        public void FlowEnded(Flow flow, FlowRecord record) => ((AnalyzerHost)flow.Sink!).End(record);
    }

    private sealed class NoListener : IFlowListener
    {
        public void FlowStarted(Flow flow)
        {
        }

        public void FlowEnded(Flow flow, FlowRecord record)
        {
        }
    }
}
