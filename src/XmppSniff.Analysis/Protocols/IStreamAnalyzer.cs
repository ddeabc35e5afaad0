using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols;

/// <summary>
/// Decodes one application protocol from the ordered bytes of a connection (or the datagrams of a
/// UDP flow). Consume-and-report: the analyzer says how many bytes it used; the host keeps the
/// rest and offers them again, with what follows, on the next call. Analyzers never throw on bad
/// bytes: they report a violation and the host decides.
/// </summary>
public interface IStreamAnalyzer
{
    /// <summary>
    /// Offers the bytes from <paramref name="from"/> not consumed so far followed by new ones.
    /// Returns how many bytes from the start of <paramref name="data"/> were consumed (0..Length).
    /// </summary>
    int Consume(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at);

    /// <summary>Bytes from <paramref name="from"/> were lost (capture loss); held bytes of that side were dropped by the host.</summary>
    void Gap(FlowSide from, long length);

    /// <summary>The flow ended; <paramref name="record"/> is its summary (the analyzer may add to it through <see cref="Describe"/>).</summary>
    void End(FlowRecord record);

    /// <summary>
    /// What the analyzer learned about the flow; the host files it in the flow record under the
    /// protocol's name, e.g. <c>tls: {version, cipher, sni, alpn}</c>.
    /// </summary>
    IReadOnlyDictionary<string, object?> Describe();

    /// <summary>Set once the bytes turned out not to be this protocol; the host stops feeding and marks the flow.</summary>
    string? Violation { get; }
}

/// <summary>Where the newest bytes of an offer came from.</summary>
public readonly record struct StreamPosition(long Time, long Frame);
