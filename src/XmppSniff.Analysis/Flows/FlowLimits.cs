namespace XmppSniff.Analysis.Flows;

/// <summary>Bounds and timeouts of the flow table; all times are capture time.</summary>
public sealed record FlowLimits
{
    /// <summary>An open TCP connection silent this long is ended (Zeek: tcp_inactivity_timeout).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A UDP flow silent this long is ended (Zeek: udp_inactivity_timeout).</summary>
    public TimeSpan UdpIdleTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a closed connection stays to collect its last ACKs and retransmitted FINs.</summary>
    public TimeSpan ClosedLinger { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Closed connections held at once for their linger; past it the one closed longest ago ends early
    /// (counted). Without it memory would follow the rate of connections times the linger: 150,000
    /// closed connections at 30,000 a second.
    /// </summary>
    public int MaxClosedFlows { get; init; } = 20_000;

    /// <summary>Flows held at once; past it the least recently active one is ended early and counted.</summary>
    public int MaxFlows { get; init; } = 500_000;

    /// <summary>Out-of-order bytes one connection may hold while waiting for a hole to fill.</summary>
    public long MaxOutOfOrderBytesPerFlow { get; init; } = 1 << 20;

    /// <summary>Out-of-order bytes all connections together may hold.</summary>
    public long MaxBufferedBytes { get; init; } = 128L << 20;
}
