using XmppSniff.Analysis.Flows;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// XMPP as the detection engine sees it. 5222 (client) and 5269 (server) carry plaintext XML first;
/// 5223 (direct TLS) and 5280 (BOSH, HTTP) do not, so they are not listed.
/// </summary>
public static class XmppProtocol
{
    public static readonly IReadOnlySet<ushort> Ports = new HashSet<ushort> { 5222, 5269 };

    /// <summary>Its analyzers emit every element through the flow's <see cref="AnalyzerOutput"/>, redacted unless it shows secrets.</summary>
    public static ProtocolDescriptor Descriptor { get; } = new("xmpp", Ports, XmppProbe.Probe, Create);

    private static IStreamAnalyzer Create(Flow flow) =>
        new XmppAnalyzer(flow, flow.Output.Emit, XmppOptions.For(flow.Output));
}
