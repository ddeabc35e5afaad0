namespace XmppSniff.Analysis.Lifecycle;

/// <summary>What one side of a TCP connection has done so far (Zeek's TCP_ENDPOINT_* states).</summary>
public enum EndpointState : byte
{
    /// <summary>Nothing sent yet.</summary>
    Inactive,

    /// <summary>Sent a SYN.</summary>
    SynSent,

    /// <summary>Sent a SYN/ACK.</summary>
    SynAckSent,

    /// <summary>Sent something without a handshake we saw: the capture started mid-connection.</summary>
    Partial,

    Established,

    /// <summary>Sent a FIN.</summary>
    Closed,

    /// <summary>Sent a RST.</summary>
    Reset,
}
