namespace XmppSniff.Analysis.Lifecycle;

/// <summary>
/// Zeek's conn_state, a pure function of the two endpoint states (and, for two cases,
/// the payload sizes and the history), so that our summaries read like conn.log.
/// </summary>
public static class ConnState
{
    public static string ForTcp(EndpointState client, EndpointState server, long clientBytes, long serverBytes, string history)
    {
        bool clientInactive = client is EndpointState.Inactive or EndpointState.Partial;
        bool serverInactive = server is EndpointState.Inactive or EndpointState.Partial;

        if (server == EndpointState.Reset)
        {
            if (client is EndpointState.SynSent or EndpointState.SynAckSent
                || (client == EndpointState.Reset && clientBytes == 0 && serverBytes == 0))
                return "REJ";
            return clientInactive ? "RSTRH" : "RSTR";
        }
        if (client == EndpointState.Reset)
        {
            if (serverInactive) return SynThenReset(history) ? "RSTOS0" : "OTH";
            return "RSTO";
        }
        if (client == EndpointState.Closed && server == EndpointState.Closed) return "SF";
        if (client == EndpointState.Closed) return serverInactive ? "SH" : "S2";
        if (server == EndpointState.Closed) return clientInactive ? "SHR" : "S3";
        if (client == EndpointState.SynSent && server == EndpointState.Inactive) return "S0";
        if (client == EndpointState.Established && server == EndpointState.Established) return "S1";
        return "OTH";
    }

    /// <summary>UDP: SF when both sides sent, S0 when only the client did.</summary>
    public static string ForUdp(bool clientSent, bool serverSent) =>
        clientSent ? (serverSent ? "SF" : "S0") : (serverSent ? "SHR" : "OTH");

    // Zeek's /^?S[^HAFGIQ]*R/: the client's SYN, then its RST, with no handshake or data from it between.
    private static bool SynThenReset(string history)
    {
        int i = history.StartsWith('^') ? 1 : 0;
        if (i >= history.Length || history[i] != 'S') return false;
        for (i++; i < history.Length; i++)
        {
            char c = history[i];
            if (c == 'R') return true;
            if ("HAFGIQ".Contains(c)) return false;
        }
        return false;
    }
}
