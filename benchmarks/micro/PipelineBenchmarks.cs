using BenchmarkDotNet.Attributes;
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
