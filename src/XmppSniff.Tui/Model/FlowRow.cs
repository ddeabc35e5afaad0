using XmppSniff.Core;

namespace XmppSniff.Tui.Model;

/// <summary>
/// One connection as the UI shows it: live counters the engine bumps per packet until the flow ends,
/// then the engine's <see cref="FlowRecord"/>. Written by the engine thread, read by the UI thread
/// (single fields, so a reader sees a slightly old value, never a broken one).
/// </summary>
public sealed class FlowRow(long id, IpProtocol protocol, Endpoint client, Endpoint server, long start)
{
    public long Id { get; } = id;
    public IpProtocol Protocol { get; } = protocol;
    public long Start { get; } = start;

    private volatile FlowRecord? _record;

    /// <summary>Set when the flow ended (or the capture ended with it open).</summary>
    public FlowRecord? Record
    {
        get => _record;
        internal set => _record = value;
    }

    public Endpoint Client => Record?.Client ?? client;
    public Endpoint Server => Record?.Server ?? server;

    /// <summary>True when the client is the lower endpoint of the flow key (see <see cref="FrameEntry.FromLow"/>).</summary>
    public bool ClientIsLow => Client.CompareTo(Server) <= 0;

    public long LastSeen;
    public long PacketsClientToServer;
    public long PacketsServerToClient;
    public long BytesClientToServer;
    public long BytesServerToClient;
    public int Stanzas;
    public int Requests;

    /// <summary>Index (frame number - 1) of the flow's first and last frame: the ladder scans only this range.</summary>
    public int FirstFrame = -1;
    public int LastFrame = -1;

    public long End => Record?.End ?? LastSeen;
    public double DurationSeconds => (End - Start) / 1e9;
    public string App => Record?.App ?? "…";
    public string State => Record?.State ?? "live";
    public string Kind => Record is { } r ? r.Kind.ToString().ToLowerInvariant() : "…";
    public long BytesUp => Record?.BytesClientToServer ?? BytesClientToServer;
    public long BytesDown => Record?.BytesServerToClient ?? BytesServerToClient;
    public long Packets => Record is { } r ? r.PacketsClientToServer + r.PacketsServerToClient : PacketsClientToServer + PacketsServerToClient;

    /// <summary>Short flags: retransmissions, missed bytes, reset, STARTTLS, TLS locked or unlocked by a key, still open.</summary>
    public string Flags
    {
        get
        {
            if (Record is not { } r) return "";
            var flags = new List<string>(4);
            if (r.Retransmissions > 0) flags.Add("retx");
            if (r.MissedBytes > 0) flags.Add("gap");
            if (r.Close == CloseKind.Rst) flags.Add("rst");
            if (StartTls(r)) flags.Add("starttls");
            if (Tls(r) is { } tls) flags.Add(tls.TryGetValue("decrypted", out object? decrypted) && decrypted is true ? "tls-unlocked" : "tls-locked");
            if (r.Close == CloseKind.Open) flags.Add("open");
            if (r.Close == CloseKind.Timeout) flags.Add("idle");
            return string.Join(',', flags);
        }
    }

    /// <summary>What the TLS analyzer learned: direct TLS, or TLS after STARTTLS.</summary>
    private static IReadOnlyDictionary<string, object?>? Tls(FlowRecord r) =>
        r.Details?.TryGetValue("tls", out object? tls) == true ? tls as IReadOnlyDictionary<string, object?>
        : r.Details?.TryGetValue("xmpp", out object? xmpp) == true && xmpp is IReadOnlyDictionary<string, object?> fields
          && fields.TryGetValue("tls", out object? inner) ? inner as IReadOnlyDictionary<string, object?>
        : null;

    private static bool StartTls(FlowRecord r) =>
        r.Details?.TryGetValue("xmpp", out object? xmpp) == true
        && xmpp is IReadOnlyDictionary<string, object?> fields
        && fields.TryGetValue("starttls", out object? on) && on is true;
}
