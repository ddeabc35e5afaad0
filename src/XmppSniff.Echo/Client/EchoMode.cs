namespace XmppSniff.Echo.Client;

public enum EchoMode
{
    /// <summary>One connection per message: connect, send, read the echo, close.</summary>
    Short,

    /// <summary>One connection per concurrency slot carrying many messages.</summary>
    Long,

    /// <summary>One datagram per message; a missing echo is lost after the timeout.</summary>
    Udp,
}
