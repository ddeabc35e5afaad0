using System.Globalization;
using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>How values look in every output: one place, so JSONL, CSV and tables agree.</summary>
internal static class Formats
{
    // Records come in time order, thousands a second: the text up to the second is made once per second.
    [ThreadStatic] private static long t_second;
    [ThreadStatic] private static string? t_secondText;

    // Records of one flow repeat its two endpoints: their text is made once (per thread, bounded).
    [ThreadStatic] private static Dictionary<Endpoint, string>? t_endpoints;

    /// <summary>ISO 8601 UTC with microseconds, e.g. 2024-05-01T12:00:00.123456Z.</summary>
    public static string Time(long unixNanoseconds)
    {
        long ticks = unixNanoseconds / 100;
        long second = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long fraction);
        if (fraction < 0) return DateTime.UnixEpoch.AddTicks(ticks).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        if (t_secondText is null || second != t_second)
        {
            t_second = second;
            t_secondText = SecondText(second);
        }
        return string.Create(CultureInfo.InvariantCulture, $"{t_secondText}.{fraction / 10:D6}Z");
    }

    /// <summary>A time's text up to the second, e.g. 2024-05-01T12:00:00, for <paramref name="second"/> since the epoch.</summary>
    internal static string SecondText(long second) =>
        DateTime.UnixEpoch.AddSeconds(second).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>"address:port", IPv6 in brackets.</summary>
    public static string Endpoint(Endpoint endpoint)
    {
        Dictionary<Endpoint, string> known = t_endpoints ??= [];
        if (known.TryGetValue(endpoint, out string? text)) return text;
        if (known.Count >= 1 << 16) known.Clear();
        return known[endpoint] = endpoint.ToString();
    }

    public static string Protocol(IpProtocol protocol) => protocol switch
    {
        IpProtocol.Tcp => "tcp",
        IpProtocol.Udp => "udp",
        _ => ((byte)protocol).ToString(CultureInfo.InvariantCulture),
    };

    public static string Lower<TEnum>(TEnum value) where TEnum : struct, Enum =>
        LowerNames<TEnum>.Known.TryGetValue(value, out string? name) ? name : value.ToString().ToLowerInvariant();

    /// <summary>The lower-case names of an enumeration's values, made once: fields such as a flow's kind are written for every record.</summary>
    private static class LowerNames<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> Known = Enum.GetValues<TEnum>().Distinct().ToDictionary(v => v, v => v.ToString().ToLowerInvariant());
    }
}
