using XmppSniff.Analysis.Flows;

namespace XmppSniff.Analysis.Protocols.Echo;

/// <summary>
/// "echo": the server sends back exactly what the client sent (RFC 862, and xmppsniff's own
/// echo server). Recognised by content on any port; port 7 is the well-known one.
/// </summary>
public static class EchoProtocol
{
    /// <summary>Client bytes an echo must have sent back before we believe it: short greetings match by chance.</summary>
    private const int Evidence = 4;

    public static ProtocolDescriptor Descriptor { get; } = new("echo", new HashSet<ushort> { 7 }, Probe, Create);

    public static ProbeResult Probe(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        if (client.IsEmpty || server.IsEmpty) return ProbeResult.NeedMore;
        int common = Math.Min(client.Length, server.Length);
        if (!client[..common].SequenceEqual(server[..common])) return ProbeResult.No;
        return common >= Math.Min(Evidence, client.Length) ? ProbeResult.Yes : ProbeResult.NeedMore;
    }

    private static IStreamAnalyzer Create(Flow flow) => new EchoAnalyzer();
}
