using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Tls.Decryption;

/// <summary>
/// What is inside direct TLS (XMPP on 5223, HTTPS): the decrypted bytes go through protocol
/// detection of their own, as a connection's bytes do, and on to that protocol's analyzer; its
/// records carry the flow's id. The flow stays "tls"; what the inner analyzer learned is filed
/// inside the flow's tls details.
/// </summary>
internal sealed class DecryptedApplication(Flow flow) : ITlsPlaintextReader
{
    private static readonly Lazy<ProtocolRegistry> Inner =
        new(() => new ProtocolRegistry(ProtocolRegistry.Default.Protocols.Where(p => p.Name != "tls").ToList()));

    private readonly AnalyzerHost _host = new(flow, Inner.Value, nested: true);
    private FlowRecord? _ended;

    public void OnData(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at) => _host.OnData(from, data, at.Time, at.Frame);

    public void OnGap(FlowSide from, long length) => _host.OnGap(from, length);

    public void OnUndecryptable(FlowSide from, string reason, StreamPosition at)
    {
    }

    public void End(FlowRecord record) => _ended = _host.End(record);

    public (string App, IReadOnlyDictionary<string, object?> Details)? Describe()
    {
        if (_host.Analyzer is null) return null;
        if (_ended?.Details is { } details && details.TryGetValue(_host.App, out object? inner) && inner is IReadOnlyDictionary<string, object?> d)
            return (_host.App, d);
        return (_host.App, _host.Analyzer.Describe());
    }
}
