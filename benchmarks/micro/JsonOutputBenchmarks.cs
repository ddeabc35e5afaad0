using BenchmarkDotNet.Attributes;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;
using XmppSniff.Output;

namespace XmppSniff.Benchmarks;

/// <summary>One operation = the 1,001 elements of <see cref="XmppBenchmarks"/>' stream written as JSONL (what `stanzas` prints).</summary>
[MemoryDiagnoser]
public class JsonOutputBenchmarks
{
    private readonly List<XmppElement> _elements = [];
    private readonly MemoryStream _sink = new();
    private StreamWriter _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        var analyzer = new XmppAnalyzer(1, new(Address.Parse("10.0.0.1"), 40000), new(Address.Parse("10.0.0.2"), 5222), _elements.Add);
        analyzer.Consume(FlowSide.Client, XmppBenchmarks.MakeStream(), new(1_732_566_474_000_000_000, 1));
        _output = new StreamWriter(_sink, new System.Text.UTF8Encoding(false));
    }

    [Benchmark(Baseline = true)]
    public long WriteStanzasJsonl() => Write(OutputFormats.Create(OutputFormat.Jsonl, _output, StanzaColumns.All));

    /// <summary>What `stanzas` uses: the same bytes, field by field.</summary>
    [Benchmark]
    public long WriteStanzasJsonlFieldByField() => Write(new StanzaJsonWriter(_output));

    private long Write(RecordWriter<XmppElement> writer)
    {
        _sink.SetLength(0);
        foreach (XmppElement element in _elements) writer.Write(element);
        writer.Finish();
        return _sink.Length;
    }
}
