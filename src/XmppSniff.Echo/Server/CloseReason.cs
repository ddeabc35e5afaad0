namespace XmppSniff.Echo.Server;

/// <summary>Why the server ended a TCP connection; one of these is on every close log line.</summary>
public enum CloseReason
{
    ClientClosed,
    IdleTimeout,
    Limit,
    Shutdown,
    Error,
}

public static class CloseReasonNames
{
    public static string LogName(this CloseReason reason) => reason switch
    {
        CloseReason.ClientClosed => "client-closed",
        CloseReason.IdleTimeout => "idle-timeout",
        CloseReason.Limit => "limit",
        CloseReason.Shutdown => "shutdown",
        _ => "error",
    };
}
