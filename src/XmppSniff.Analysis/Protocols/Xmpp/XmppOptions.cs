namespace XmppSniff.Analysis.Protocols.Xmpp;

public sealed record XmppOptions
{
    public static readonly XmppOptions Default = new();

    /// <summary>The largest element held whole; a larger one is reported truncated and skipped.</summary>
    public int MaxElementBytes { get; init; } = 1 << 20;

    public int MaxDepth { get; init; } = AnalyzerOutput.DefaultMaxDepth;

    /// <summary>Where hits of the two bounds above are counted; null: not counted.</summary>
    public ElementLimitCounters? Counters { get; init; }

    /// <summary>Show SASL payloads and passwords instead of redacting them.</summary>
    public bool ShowSecrets { get; init; }

    /// <summary>Secrets to decrypt the TLS that follows STARTTLS; null: it is only described.</summary>
    public Tls.Decryption.TlsKeyLog? TlsKeys { get; init; }

    /// <summary>Sees the decrypted bytes (e.g. for `follow`).</summary>
    public Tls.Decryption.TlsPlaintextTap? TlsTap { get; init; }

    /// <summary>Where large element copies come from when the records' consumer gives them back; null: new arrays.</summary>
    public ElementCopyPool? Copies { get; init; }

    /// <summary>Where the connection's bytes can be read again (see <see cref="AnalyzerOutput.Rereadable"/>); null: held bytes are copied.</summary>
    public Core.IRereadableBytes? Rereadable { get; init; }

    /// <summary>iq requests remembered while waiting for their answer, per direction.</summary>
    public int MaxPendingIqs { get; init; } = 4096;

    /// <summary>The options a run's output asks for: its secrets setting, its bounds and their counters.</summary>
    public static XmppOptions For(AnalyzerOutput output) => new()
    {
        ShowSecrets = output.ShowSecrets, MaxElementBytes = output.MaxElementBytes, MaxDepth = output.MaxDepth,
        Counters = output.Limits, TlsKeys = output.TlsKeys, TlsTap = output.TlsTap, Copies = output.ElementCopies,
        Rereadable = output.Rereadable,
    };
}
