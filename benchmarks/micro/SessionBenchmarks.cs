using BenchmarkDotNet.Attributes;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Capture.Decode;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Benchmarks;

/// <summary>
/// One operation = the stanzas benchmark's seed (two real XMPP sessions, 170 packets, 153 elements)
/// through decode, flow table, reassembly and the XMPP analyzer on one thread; then also written as
/// JSONL: the work per element of `xmppsniff stanzas`, with its allocations.
/// </summary>
[MemoryDiagnoser]
public class SessionBenchmarks
{
    private readonly FrameDecoder _decoder = new();
    private readonly MemoryStream _sink = new();
    private StreamWriter _output = null!;

    [GlobalSetup]
    public void Setup() => _output = new StreamWriter(_sink, new System.Text.UTF8Encoding(false));

    [Benchmark(Baseline = true)]
    public int Analyze()
    {
        int elements = 0;
        Run(_ => elements++);
        return elements;
    }

    [Benchmark]
    public long AnalyzeAndWriteJsonl()
    {
        _sink.SetLength(0);
        RecordWriter<XmppElement> writer = OutputFormats.Create(OutputFormat.Jsonl, _output, StanzaColumns.All);
        Run(r => { if (r is XmppElement e) writer.Write(e); });
        writer.Finish();
        return _sink.Length;
    }

    private void Run(Action<object> emit) =>
        SampleFrames.Track(SampleFrames.Xmpp, _decoder, new FlowTable(new AnalysisListener(new NoFlowListener(), output: new AnalyzerOutput(emit))));
}
