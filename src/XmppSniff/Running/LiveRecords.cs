using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Core;
using XmppSniff.Output;

namespace XmppSniff.Running;

/// <summary>
/// Headless live output: a flow record as each flow ends (like Zeek's conn.log, not in id order:
/// holding records back for an older flow still open would grow without limit), and stanza and
/// HTTP records as they complete. With more than one kind, each record starts with a `record`
/// field naming its kind, and each goes out at once so the kinds stay in the order they completed.
/// </summary>
internal sealed class LiveRecords : IFlowListener
{
    private readonly TextWriter _output;
    private readonly RecordWriter<FlowRecord>? _flows;
    private readonly RecordWriter<XmppElement>? _stanzas;
    private readonly RecordWriter<HttpTransaction>? _http;
    private readonly bool _mixed;
    private readonly Action _finish;
    private readonly Action _flush;

    public LiveRecords(OutputFormat format, TextWriter output, RecordKinds kinds, bool showSecrets, int maxElementBytes, TlsKeyLog? keys = null)
    {
        _output = output;
        _mixed = RecordKindNames.Count(kinds) > 1;
        if (kinds.HasFlag(RecordKinds.Flows)) _flows = Writer(format, "flow", FlowColumns.All, FlowColumns.Extra);
        if (kinds.HasFlag(RecordKinds.Stanzas)) _stanzas = Writer(format, "stanza", StanzaColumns.All);
        if (kinds.HasFlag(RecordKinds.Http)) _http = Writer(format, "http", HttpColumns.All);
        Analyzers = new AnalyzerOutput(Emit, showSecrets, maxElementBytes) { TlsKeys = keys };
        _finish = _mixed ? output.Flush : _flows is not null ? _flows.Finish : _stanzas is not null ? _stanzas.Finish : _http is not null ? _http.Finish : output.Flush;
        _flush = _flows is not null ? _flows.Flush : _stanzas is not null ? _stanzas.Flush : _http is not null ? _http.Flush : output.Flush;
    }

    /// <summary>Where analyzers hand their records (stanzas, HTTP transactions).</summary>
    public AnalyzerOutput Analyzers { get; }

    /// <summary>Which records of each kind are printed (the display filter); null: all.</summary>
    public Func<FlowRecord, bool>? ShowFlow { get; init; }

    public Func<XmppElement, bool>? ShowStanza { get; init; }

    public Func<HttpTransaction, bool>? ShowHttp { get; init; }

    public long FlowsWritten { get; private set; }

    public void FlowStarted(Flow flow)
    {
    }

    public void FlowEnded(Flow flow, FlowRecord record)
    {
        if (_flows is null || ShowFlow?.Invoke(record) == false) return;
        _flows.Write(record);
        if (_mixed) _flows.Flush();
        FlowsWritten++;
    }

    /// <summary>Hands what is written to the reader now (a pipe to jq, a terminal).</summary>
    public void Flush() => _flush();

    /// <summary>One kind: the writer's own ending (a header even with no record, as `flows` does). Several: just flush.</summary>
    public void Finish() => _finish();

    private void Emit(object record)
    {
        switch (record)
        {
            case XmppElement e when _stanzas is not null && ShowStanza?.Invoke(e) != false:
                _stanzas.Write(e);
                if (_mixed) _stanzas.Flush();
                break;
            case HttpTransaction t when _http is not null && ShowHttp?.Invoke(t) != false:
                _http.Write(t);
                if (_mixed) _http.Flush();
                break;
        }
    }

    private RecordWriter<T> Writer<T>(OutputFormat format, string kind, IReadOnlyList<Column<T>> columns,
        Func<T, IReadOnlyDictionary<string, object?>?>? extra = null)
    {
        if (_mixed) columns = [new Column<T>("record", _ => kind, 6), .. columns];
        return OutputFormats.Create(format, _output, columns, extra);
    }
}
