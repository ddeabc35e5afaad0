using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// XMPP as the detection engine sees it. 5222 (client) and 5269 (server) carry plaintext XML first;
/// 5223 (direct TLS) and 5280 (BOSH, HTTP) do not, so they are not listed.
/// </summary>
public static class XmppProtocol
{
    public static readonly IReadOnlySet<ushort> Ports = new HashSet<ushort> { 5222, 5269 };

    /// <summary>A descriptor whose analyzers deliver their elements to <paramref name="onElement"/>.</summary>
    public static ProtocolDescriptor Create(Action<XmppElement>? onElement, XmppOptions? options = null) =>
        new("xmpp", Ports, XmppProbe.Probe, flow => new XmppAnalyzer(flow, onElement, options));

    /// <summary>For detection alone: its analyzers keep what they learn (Describe) but deliver no records.</summary>
    public static readonly ProtocolDescriptor Descriptor = Create(null);
}
