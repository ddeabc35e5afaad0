namespace XmppSniff.Core;

/// <summary>
/// Adds up the HTTP transactions of a capture, for `summary` and the terminal UI's stats, as tshark's
/// `-z http,tree` and `-z http_req,tree` count them (requests by method and host, responses by status
/// code), plus the requests no HTTP response answered and the time to an HTTP response's first byte
/// (minimum, mean, maximum). Its memory does not grow with the capture (see <see cref="Breakdown"/>).
/// </summary>
public sealed class HttpTally
{
    public long Transactions { get; private set; }

    /// <summary>Requests no HTTP response answered: none was captured, or the server said something else (an SSH banner).</summary>
    public long NoResponse { get; private set; }

    public SortedDictionary<string, long> Methods { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests by their Host header, as tshark's `-z http_req,tree` groups them.</summary>
    public SortedDictionary<string, long> Hosts { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<int, long> Statuses { get; } = [];

    /// <summary>Time from the request to the first byte of its HTTP response.</summary>
    public RoundTrips Ttfb { get; private set; }

    public void Add(HttpTransaction t)
    {
        Transactions++;
        if (t.Method is { } method) Breakdown.Count(Methods, method);
        if (t.Method is not null && t.Host is { } host) Breakdown.Count(Hosts, host);
        if (t.Status is not { } status)
        {
            if (t.Method is not null) NoResponse++;
            return;
        }
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1; // three digits: a thousand keys at most
        if (t.TtfbMs is { } ttfb) Ttfb = Ttfb.With(ttfb);
    }
}
