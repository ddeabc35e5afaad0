namespace XmppSniff.Analysis.Protocols;

/// <summary>
/// How analyzers hand on records beyond the flow summary (an HTTP transaction, an XMPP stanza):
/// the listener that starts a flow sets <see cref="Flows.Flow.Output"/>, and an analyzer made by
/// its descriptor's <c>Create(flow)</c> calls <see cref="Emit"/> once per finished record, in the
/// order it finished them. Records are plain immutable types from XmppSniff.Core; a command picks
/// the types it prints and ignores the rest. Secrets (passwords, Authorization, cookies) are
/// redacted by the analyzer unless <see cref="ShowSecrets"/> is set.
/// </summary>
public sealed class AnalyzerOutput(
    Action<object>? emit = null, bool showSecrets = false, int maxElementBytes = AnalyzerOutput.DefaultMaxElementBytes,
    int maxDepth = AnalyzerOutput.DefaultMaxDepth)
{
    public const int DefaultMaxElementBytes = 1 << 20;

    /// <summary>Real stanzas nest a handful of levels; 256 leaves room for any of them.</summary>
    public const int DefaultMaxDepth = 256;

    /// <summary>Drops every record: for runs that only want flow summaries.</summary>
    public static AnalyzerOutput None { get; } = new();

    /// <summary>Whether records may carry credentials unredacted.</summary>
    public bool ShowSecrets { get; } = showSecrets;

    /// <summary>The largest message (e.g. an XMPP element) an analyzer holds whole; a larger one is reported truncated.</summary>
    public int MaxElementBytes { get; } = maxElementBytes;

    /// <summary>The deepest nesting of elements an analyzer follows; a deeper element is skipped.</summary>
    public int MaxDepth { get; } = maxDepth;

    /// <summary>How often the two bounds above were hit.</summary>
    public ElementLimitCounters Limits { get; private init; } = new();

    /// <summary>Secrets for decrypting TLS (a key log file, pcapng decryption secrets); null: TLS stays encrypted and says nothing about it.</summary>
    public Tls.Decryption.TlsKeyLog? TlsKeys { get; init; }

    /// <summary>
    /// Where XMPP analyzers take large element copies from; set it only when every emitted element is given
    /// back to it (<see cref="Xmpp.ElementCopyPool.Release"/>) after its last use. Null: new arrays.
    /// </summary>
    public Xmpp.ElementCopyPool? ElementCopies { get; init; }

    /// <summary>Sees the decrypted application data of every flow, besides the analyzer inside.</summary>
    public Tls.Decryption.TlsPlaintextTap? TlsTap { get; init; }

    /// <summary>
    /// Where the bytes analyzers are given can be read again (the capture file): an XMPP element arriving in
    /// pieces keeps no copy of its middle meanwhile. Set by the run once its file is open, before any flow starts.
    /// </summary>
    public Core.IRereadableBytes? Rereadable { get; set; }

    private readonly Dictionary<Type, object> _shared = [];

    /// <summary>
    /// State one run shares across flows, made on first use: e.g. BOSH sessions, which span many
    /// short HTTP connections. Used on one analysing thread only (see <see cref="ForThread"/>).
    /// </summary>
    public T Shared<T>() where T : class, new()
    {
        if (!_shared.TryGetValue(typeof(T), out object? state)) _shared[typeof(T)] = state = new T();
        return (T)state;
    }

    /// <summary>
    /// The same settings, limit counters and secrets for another analysing thread, with its own
    /// <paramref name="emit"/> and its own <see cref="Shared{T}"/> state: flows analysed on different
    /// threads share nothing else.
    /// </summary>
    public AnalyzerOutput ForThread(Action<object> emit) =>
        new(emit, ShowSecrets, MaxElementBytes, MaxDepth)
        {
            Limits = Limits, TlsKeys = TlsKeys, ElementCopies = ElementCopies, TlsTap = TlsTap, Rereadable = Rereadable,
        };

    /// <summary>Hands on one finished record (called on the engine's thread; keep it cheap).</summary>
    public void Emit(object record) => emit?.Invoke(record);
}
