namespace XmppSniff.Analysis.Protocols.Xmpp;

public sealed record XmppOptions
{
    public static readonly XmppOptions Default = new();

    /// <summary>The largest element held whole; a larger one is reported truncated and skipped.</summary>
    public int MaxElementBytes { get; init; } = 1 << 20;

    public int MaxDepth { get; init; } = 256;

    /// <summary>Show SASL payloads and passwords instead of redacting them.</summary>
    public bool ShowSecrets { get; init; }

    /// <summary>Secrets to decrypt the TLS that follows STARTTLS; null: it is only described.</summary>
    public Tls.Decryption.TlsKeyLog? TlsKeys { get; init; }

    /// <summary>Sees the decrypted bytes (e.g. for `follow`).</summary>
    public Tls.Decryption.TlsPlaintextTap? TlsTap { get; init; }

    /// <summary>iq requests remembered while waiting for their answer, per direction.</summary>
    public int MaxPendingIqs { get; init; } = 4096;
}
