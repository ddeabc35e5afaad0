using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Dns;
using XmppSniff.Analysis.Protocols.Echo;
using XmppSniff.Analysis.Protocols.Http;
using XmppSniff.Analysis.Protocols.Stun;
using XmppSniff.Analysis.Protocols.Tls;
using XmppSniff.Analysis.Protocols.Xmpp;

namespace XmppSniff.Analysis.Detection;

/// <summary>
/// The protocols the engine knows. Each protocol folder has a class with a static
/// <c>Descriptor</c>; they are listed here by hand (a test checks none is missing) rather than
/// found by reflection, so the tool can be compiled ahead of time and trimmed.
/// </summary>
public sealed class ProtocolRegistry(IReadOnlyList<ProtocolDescriptor> protocols)
{
    /// <summary>Every protocol of the engine, in order of name (so probing order is stable).</summary>
    public static ProtocolRegistry Default { get; } = new(
    [
        DnsProtocol.Descriptor,
        EchoProtocol.Descriptor,
        HttpProtocol.Descriptor,
        StunProtocol.Descriptor,
        TlsProtocol.Descriptor,
        XmppProtocol.Descriptor,
    ]);

    public IReadOnlyList<ProtocolDescriptor> Protocols => All;

    /// <summary>The same as an array: asked for every new flow, it is walked without an enumerator object each time.</summary>
    internal ProtocolDescriptor[] All { get; } = [.. protocols];
}
