namespace XmppSniff.Core;

/// <summary>One finished (or still open) flow: the row `xmppsniff flows` prints.</summary>
/// <remarks>Byte counts are payload bytes in sequence space, each byte once, missed bytes included (as Zeek's conn.log).</remarks>
public sealed record FlowRecord
{
    public required long Id { get; init; }
    public required IpProtocol Protocol { get; init; }
    public required Endpoint Client { get; init; }
    public required Endpoint Server { get; init; }

    /// <summary>First and last packet, nanoseconds since the Unix epoch.</summary>
    public required long Start { get; init; }
    public required long End { get; init; }

    /// <summary>Zeek-style conn_state (S0, S1, SF, REJ, ...).</summary>
    public required string State { get; init; }

    /// <summary>Zeek-style history letters: upper case from the client, lower case from the server.</summary>
    public required string History { get; init; }

    public required FlowKind Kind { get; init; }
    public string App { get; init; } = "unknown";

    public long PacketsClientToServer { get; init; }
    public long PacketsServerToClient { get; init; }
    public long BytesClientToServer { get; init; }
    public long BytesServerToClient { get; init; }
    public long MissedBytes { get; init; }
    public long Retransmissions { get; init; }
    public long OutOfOrder { get; init; }
    public long DuplicateAcks { get; init; }
    public long ZeroWindows { get; init; }
    public long KeepAlives { get; init; }

    /// <summary>Client SYN to the client's ACK of the SYN/ACK; null without a full handshake.</summary>
    public double? HandshakeRttMs { get; init; }

    /// <summary>The side that sent the first FIN or RST; null if neither did.</summary>
    public FlowSide? ClosedBy { get; init; }

    public required CloseKind Close { get; init; }

    /// <summary>Request/response turns: the larger of the data bursts each side sent.</summary>
    public int Exchanges { get; init; }

    /// <summary>Longest silence between two packets of the flow, in seconds.</summary>
    public double MaxIdleSeconds { get; init; }

    /// <summary>What the application analyzer learned (e.g. the XMPP domain), by field name; null when nothing.</summary>
    public IReadOnlyDictionary<string, object?>? Details { get; init; }

    /// <summary>Expert notes about the flow (e.g. why it is not the protocol its port suggests).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public double DurationSeconds => (End - Start) / 1e9;
}

public enum FlowSide
{
    Client,
    Server,
}

public enum FlowKind
{
    /// <summary>No data ever carried.</summary>
    None,

    /// <summary>At most one exchange.</summary>
    Short,

    /// <summary>More than one exchange.</summary>
    Long,
}

public enum CloseKind
{
    Fin,
    Rst,
    Timeout,
    Open,
}
