using System.Globalization;
using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>How values look in every output: one place, so JSONL, CSV and tables agree.</summary>
internal static class Formats
{
    /// <summary>ISO 8601 UTC with microseconds, e.g. 2024-05-01T12:00:00.123456Z.</summary>
    public static string Time(long unixNanoseconds)
    {
        var time = DateTime.UnixEpoch.AddTicks(unixNanoseconds / 100);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    public static string Protocol(IpProtocol protocol) => protocol switch
    {
        IpProtocol.Tcp => "tcp",
        IpProtocol.Udp => "udp",
        _ => ((byte)protocol).ToString(CultureInfo.InvariantCulture),
    };

    public static string Lower<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
