using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Tls.Decryption;

/// <summary>
/// Reads what TLS decryption yields: the application data of each direction, in order, each byte
/// once. The XMPP analyzer that asked for STARTTLS is one; a nested detection host (direct TLS on
/// 5223, HTTPS) is the other.
/// </summary>
public interface ITlsPlaintextReader
{
    /// <summary>Decrypted application data; <paramref name="at"/> is the packet that completed its record.</summary>
    void OnData(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at);

    /// <summary>Decryption of this direction stopped after a loss; nothing more will come from it.</summary>
    void OnGap(FlowSide from, long length);

    /// <summary>Once per flow: why (the rest of) it stays encrypted.</summary>
    void OnUndecryptable(FlowSide from, string reason, StreamPosition at);

    void End(FlowRecord record);

    /// <summary>The protocol inside, and what its analyzer learned (null when the reader reports elsewhere).</summary>
    (string App, IReadOnlyDictionary<string, object?> Details)? Describe();
}
