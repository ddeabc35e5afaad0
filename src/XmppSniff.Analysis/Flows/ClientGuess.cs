namespace XmppSniff.Analysis.Flows;

/// <summary>
/// Without a SYN to tell, the client is the side not on a well-known service port,
/// else the side on the higher (ephemeral) port.
/// </summary>
public static class ClientGuess
{
    private static readonly HashSet<ushort> ServicePorts =
        [1080, 1194, 1433, 1521, 1883, 3128, 3306, 3389, 3478, 5060, 5061, 5222, 5223, 5269, 5280, 5281, 5349, 5432, 5938, 6379, 8000, 8008, 8080, 8443, 8888, 9000, 11211, 27017];

    public static bool IsServicePort(ushort port) => port < 1024 || ServicePorts.Contains(port);

    /// <summary>True when the sender of a packet from <paramref name="srcPort"/> to <paramref name="dstPort"/> looks like the client.</summary>
    public static bool SourceIsClient(ushort srcPort, ushort dstPort)
    {
        bool srcService = IsServicePort(srcPort), dstService = IsServicePort(dstPort);
        if (srcService != dstService) return dstService;
        return srcPort >= dstPort;
    }
}
