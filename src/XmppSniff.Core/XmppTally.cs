namespace XmppSniff.Core;

/// <summary>
/// Adds up the XMPP of a capture, for `summary` and the terminal UI's stats: the connections that carried
/// it and how they authenticated, elements by kind, stanzas by name and type, iq round trips (count,
/// minimum, mean and maximum, as Wireshark's service response time statistics give them), errors and
/// expert notes. Fed one record at a time (the pipeline hands records on from one thread at a time, in
/// order); its memory does not grow with the capture (see <see cref="Breakdown"/>).
/// </summary>
public sealed class XmppTally
{
    private const string StreamsNamespace = "http://etherx.jabber.org/streams";

    /// <summary>TCP connections that carried XMPP (BOSH's elements are counted, its HTTP connections are not).</summary>
    public long Connections { get; private set; }

    public long StartTlsConnections { get; private set; }

    /// <summary>SASL by "MECHANISM outcome": "PLAIN success", "? failure" (no auth seen), "SCRAM-SHA-1 unfinished".</summary>
    public SortedDictionary<string, long> Sasl { get; } = new(StringComparer.Ordinal);

    public long Elements { get; private set; }
    public SortedDictionary<string, long> ByKind { get; } = new(StringComparer.Ordinal);

    /// <summary>Stanzas by "name type", the type as RFC 6121 defaults it when absent (message: normal, presence: available).</summary>
    public SortedDictionary<string, long> Stanzas { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> Notes { get; } = new(StringComparer.Ordinal);
    public long StanzaErrors { get; private set; }
    public long StreamErrors { get; private set; }

    /// <summary>Every answered iq's round trip.</summary>
    public RoundTrips Iq { get; private set; }

    /// <summary>Round trips by what the request asked ("get disco#info": see <see cref="XmppElement.Answers"/>).</summary>
    public SortedDictionary<string, RoundTrips> IqByRequest { get; } = new(StringComparer.Ordinal);

    public void Add(XmppElement e)
    {
        Elements++;
        Breakdown.Count(ByKind, e.Kind);
        switch (e.Kind)
        {
            case "stanza":
                Breakdown.Count(Stanzas, $"{e.Name} {e.Type ?? DefaultType(e.Name)}");
                if (e.Error is not null) StanzaErrors++;
                if (e.RttMs is { } rtt) AddRoundTrip(e.Answers ?? "?", rtt);
                break;
            case "nonza" when e.Name == "error" && e.Namespace == StreamsNamespace:
                StreamErrors++;
                break;
            case "note":
                Breakdown.Count(Notes, e.Name);
                break;
        }
    }

    /// <summary>A finished connection: counted if it carried XMPP.</summary>
    public void Add(FlowRecord flow)
    {
        if (flow.App != "xmpp") return;
        Connections++;
        var xmpp = flow.Details?.GetValueOrDefault("xmpp") as IReadOnlyDictionary<string, object?>;
        if (xmpp?.GetValueOrDefault("starttls") is true) StartTlsConnections++;
        object? mechanism = xmpp?.GetValueOrDefault("sasl_mechanism"), outcome = xmpp?.GetValueOrDefault("sasl");
        if (mechanism is not null || outcome is not null) Breakdown.Count(Sasl, $"{mechanism ?? "?"} {outcome ?? "unfinished"}");
    }

    private void AddRoundTrip(string request, double ms)
    {
        Iq = Iq.With(ms);
        request = Breakdown.Bounded(IqByRequest, request, "other");
        IqByRequest[request] = IqByRequest.GetValueOrDefault(request).With(ms);
    }

    private static string DefaultType(string stanza) => stanza switch
    {
        "message" => "normal",
        "presence" => "available",
        _ => "(none)",
    };
}

/// <summary>Times in milliseconds (round trips, times to first byte): how many, and their minimum, mean and maximum (null when none).</summary>
public readonly record struct RoundTrips(long Count, double Sum, double Min, double Max)
{
    public double? MinMs => Count == 0 ? null : Min;
    public double? MeanMs => Count == 0 ? null : Sum / Count;
    public double? MaxMs => Count == 0 ? null : Max;

    public RoundTrips With(double ms) =>
        Count == 0 ? new(1, ms, ms, ms) : new(Count + 1, Sum + ms, Math.Min(Min, ms), Math.Max(Max, ms));
}
