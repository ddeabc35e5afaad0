using System.Net;

namespace XmppSniff.Echo.Client;

public sealed record EchoClientOptions
{
    public EchoMode Mode { get; init; } = EchoMode.Short;
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; }

    /// <summary>Messages in all, spread over the concurrency slots.</summary>
    public int Count { get; init; } = 1;

    public int Size { get; init; } = 64;
    public int Concurrency { get; init; } = 1;

    /// <summary>Pause between two messages of one slot.</summary>
    public TimeSpan Interval { get; init; }

    /// <summary>Messages per second over all slots; 0: as fast as they go.</summary>
    public double Rate { get; init; }

    /// <summary>Source address to send from (e.g. 127.0.3.4); null: the system chooses.</summary>
    public IPAddress? Bind { get; init; }

    /// <summary>How long one message (or datagram) may take before it counts as failed (or lost).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Long mode: keep each connection open this long after its last message, or until the server closes it.</summary>
    public TimeSpan Hold { get; init; }
}
