using XmppSniff.Analysis.Protocols;

namespace XmppSniff.Analysis.Detection;

/// <summary>
/// Picks the protocol of a flow from its first bytes: protocols registered for the server's port
/// are asked first, then every other probe. Undecided while a probe that could still say yes
/// needs more bytes.
/// </summary>
public static class ProtocolDetector
{
    /// <summary>The chosen protocol, or null; <paramref name="undecided"/> says whether more bytes could change that.</summary>
    /// <param name="final">No more bytes will come: a probe that needs more counts as a no.</param>
    public static ProtocolDescriptor? Choose(ProtocolRegistry registry, ushort serverPort, ReadOnlySpan<byte> client, ReadOnlySpan<byte> server, bool final, out bool undecided)
    {
        undecided = false;
        foreach (bool onPort in (ReadOnlySpan<bool>)[true, false])
        {
            foreach (ProtocolDescriptor protocol in registry.All)
            {
                if (protocol.Ports.Contains(serverPort) != onPort) continue;
                var probe = onPort ? protocol.OnPortProbe ?? protocol.Probe : protocol.Probe;
                switch (probe(client, server))
                {
                    case ProbeResult.Yes:
                        return protocol;
                    case ProbeResult.NeedMore when !final:
                        undecided = true;
                        break;
                }
            }
            // A protocol on its own port that may still say yes outranks a probe elsewhere that already did.
            if (undecided) return null;
        }
        return null;
    }
}
