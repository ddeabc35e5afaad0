namespace XmppSniff.Core;

/// <summary>
/// Adds up the XMPP of a capture, for `summary` and the terminal UI's stats: the connections that carried
/// it and how they authenticated, elements by kind, stanzas by name and type, iq round trips (count, minimum, mean and maximum, as Wireshark's service
/// response time statistics give them), errors and expert notes. Fed one record at a time (the
/// pipeline hands records on from one thread at a time, in order); its memory does not grow with the capture.
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

    public long IqAnswered { get; private set; }
    public double? IqRttMinMs => IqAnswered == 0 ? null : _rttMin;
    public double? IqRttMaxMs => IqAnswered == 0 ? null : _rttMax;
    public double? IqRttMeanMs => IqAnswered == 0 ? null : _rttSum / IqAnswered;

    private double _rttMin = double.MaxValue, _rttMax, _rttSum;

    public void Add(XmppElement e)
    {
        Elements++;
        Count(ByKind, e.Kind);
        switch (e.Kind)
        {
            case "stanza":
                Count(Stanzas, $"{e.Name} {e.Type ?? DefaultType(e.Name)}");
                if (e.Error is not null) StanzaErrors++;
                if (e.RttMs is { } rtt) AddRoundTrip(rtt);
                break;
            case "nonza" when e.Name == "error" && e.Namespace == StreamsNamespace:
                StreamErrors++;
                break;
            case "note":
                Count(Notes, e.Name);
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
        if (mechanism is not null || outcome is not null) Count(Sasl, $"{mechanism ?? "?"} {outcome ?? "unfinished"}");
    }

    private void AddRoundTrip(double ms)
    {
        IqAnswered++;
        _rttSum += ms;
        _rttMin = Math.Min(_rttMin, ms);
        _rttMax = Math.Max(_rttMax, ms);
    }

    private static string DefaultType(string stanza) => stanza switch
    {
        "message" => "normal",
        "presence" => "available",
        _ => "(none)",
    };

    private static void Count(SortedDictionary<string, long> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}
