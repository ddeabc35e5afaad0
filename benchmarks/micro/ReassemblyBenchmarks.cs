using BenchmarkDotNet.Attributes;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Benchmarks;

/// <summary>One operation = 1,000 segments of 1,400 bytes into one direction; the in-order path must not allocate.</summary>
[MemoryDiagnoser]
public class ReassemblyBenchmarks
{
    private const int Segments = 1000, Size = 1400;
    private readonly byte[] _payload = new byte[Size];

    [Benchmark(Baseline = true)]
    public long InOrder()
    {
        var stream = new StreamReassembler(FlowSide.Client, new BufferBudget(1 << 20, 1 << 30), new FlowHold());
        stream.Start(1);
        for (uint i = 0; i < Segments; i++) stream.Add(1 + i * Size, _payload, Size, 0, 0, 0, null);
        return stream.DeliveredBytes;
    }

    /// <summary>Every pair swapped: each odd segment is held, then delivered with its predecessor.</summary>
    [Benchmark]
    public long PairsSwapped()
    {
        var stream = new StreamReassembler(FlowSide.Client, new BufferBudget(1 << 20, 1 << 30), new FlowHold());
        stream.Start(1);
        for (uint i = 0; i < Segments; i += 2)
        {
            stream.Add(1 + (i + 1) * Size, _payload, Size, 0, 0, 0, null);
            stream.Add(1 + i * Size, _payload, Size, 0, 0, long.MaxValue, null);
        }
        return stream.DeliveredBytes;
    }

    /// <summary>Every segment sent twice: the resend is compared with the fingerprint of the delivered one.</summary>
    [Benchmark]
    public long EverySegmentResent()
    {
        var stream = new StreamReassembler(FlowSide.Client, new BufferBudget(1 << 20, 1 << 30), new FlowHold());
        stream.Start(1);
        for (uint i = 0; i < Segments; i++)
        {
            stream.Add(1 + i * Size, _payload, Size, 0, 0, 0, null);
            stream.Add(1 + i * Size, _payload, Size, 0, 0, 0, null);
        }
        return stream.DeliveredBytes;
    }
}
