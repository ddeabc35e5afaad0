using XmppSniff.Analysis.Flows;

namespace XmppSniff.Analysis.Protocols;

/// <summary>What a probe says about the first bytes of a flow.</summary>
public enum ProbeResult
{
    No,
    NeedMore,
    Yes,
}

/// <summary>
/// One protocol, as its folder registers it: a name, the ports it usually lives on, a probe over
/// the first bytes each side sent (never throws), and a factory. No central switch.
/// <paramref name="OnPortProbe"/>, when given, replaces <paramref name="Probe"/> on the protocol's
/// own ports: there it may believe less evidence (a DNS header, a STUN cookie) than anywhere else.
/// </summary>
public sealed record ProtocolDescriptor(
    string Name,
    IReadOnlySet<ushort> Ports,
    Func<ReadOnlySpan<byte>, ReadOnlySpan<byte>, ProbeResult> Probe,
    Func<Flow, IStreamAnalyzer> Create,
    Func<ReadOnlySpan<byte>, ReadOnlySpan<byte>, ProbeResult>? OnPortProbe = null);
