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

    public long Timed { get; private set; }
    public double? TtfbMinMs => Timed == 0 ? null : _ttfbMin;
    public double? TtfbMaxMs => Timed == 0 ? null : _ttfbMax;
    public double? TtfbMeanMs => Timed == 0 ? null : _ttfbSum / Timed;

    private double _ttfbMin = double.MaxValue, _ttfbMax, _ttfbSum;

    public void Add(HttpTransaction t)
    {
        Transactions++;
        if (t.Method is { } method) Methods[method] = Methods.GetValueOrDefault(method) + 1;
        if (t.Status is not { } status)
        {
            if (t.Method is not null) NoResponse++;
            return;
        }
        Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
        if (t.TtfbMs is not { } ttfb) return;
        Timed++;
        _ttfbSum += ttfb;
        _ttfbMin = Math.Min(_ttfbMin, ttfb);
        _ttfbMax = Math.Max(_ttfbMax, ttfb);
    }
}
