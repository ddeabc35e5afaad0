namespace XmppSniff.Core;

/// <summary>
/// Adds up the HTTP transactions of a capture, for `summary` and the terminal UI's stats, as tshark's
/// `-z http,tree` counts them (requests by method, responses by status code), plus the requests no HTTP
/// response answered and the time to an HTTP response's first byte (minimum, mean, maximum). Its memory
/// does not grow with the capture.
/// </summary>
public sealed class HttpTally
{
    public long Transactions { get; private set; }

    /// <summary>Requests no HTTP response answered: none was captured, or the server said something else (an SSH banner).</summary>
    public long NoResponse { get; private set; }

    public SortedDictionary<string, long> Methods { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<int, long> Statuses { get; } = [];

    /// <summary>Time from the request to the first byte of its HTTP response.</summary>
    public RoundTrips Ttfb { get; private set; }

    public void Add(HttpTransaction t)
    {
        Transactions++;
        if (t.Method is { } method) Breakdown.Count(Methods, method);
        if (t.Status is not { } status)
        {
            if (t.Method is not null) NoResponse++;
            return;
        }
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1; // three digits: a thousand keys at most
        if (t.TtfbMs is { } ttfb) Ttfb = Ttfb.With(ttfb);
    }
}
