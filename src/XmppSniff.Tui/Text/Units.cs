using System.Globalization;

namespace XmppSniff.Tui.Text;

/// <summary>Numbers as the views print them: short, aligned, invariant.</summary>
public static class Units
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Seconds since <paramref name="zero"/>, six decimals (microseconds, as the files carry).</summary>
    public static string Relative(long time, long zero) => ((time - zero) / 1e9).ToString("0.000000", Inv);

    /// <summary>A duration in the unit that reads best: "817µs", "421.6ms", "3.91s", "423s", then hours, days and years (a merged capture can span years).</summary>
    public static string Seconds(double seconds) => seconds switch
    {
        < 0.001 => (seconds * 1e6).ToString("0", Inv) + "µs",
        < 1 => (seconds * 1e3).ToString("0.0", Inv) + "ms",
        < 100 => seconds.ToString("0.00", Inv) + "s",
        < 10_000 => seconds.ToString("0", Inv) + "s",
        < 2 * Day => (seconds / 3600).ToString("0.0", Inv) + "h",
        < 2 * Year => (seconds / Day).ToString("0.0", Inv) + "d",
        _ => (seconds / Year).ToString("0.0", Inv) + "y",
    };

    private const double Day = 86_400, Year = 365.25 * Day;

    public static string Bytes(long bytes) => bytes switch
    {
        < 10_000 => bytes.ToString(Inv),
        < 10_000_000 => (bytes / 1024.0).ToString("0.#", Inv) + "K",
        < 10_000_000_000 => (bytes / (1024.0 * 1024)).ToString("0.#", Inv) + "M",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.#", Inv) + "G",
    };

    public static string Count(long n) => n.ToString("N0", Inv);

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", Inv) + "ms";
}
