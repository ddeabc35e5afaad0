using System.Globalization;
using System.Text.Json;

namespace XmppSniff.Echo.Client;

/// <summary>The result of one client run: counts, latency percentiles in milliseconds and throughput.</summary>
public sealed record EchoSummary(
    EchoMode Mode, long Ok, long Failed, long Lost, long Connections, long ClosedByServer,
    double? P50Ms, double? P90Ms, double? P99Ms, double? MaxMs, long Bytes, double Seconds, string? FirstError)
{
    public double MessagesPerSecond => Seconds > 0 ? Ok / Seconds : 0;
    public double MebibytesPerSecond => Seconds > 0 ? Bytes / Seconds / (1 << 20) : 0;

    public void WriteText(TextWriter output)
    {
        string mode = Mode.ToString().ToLowerInvariant();
        string lost = Mode == EchoMode.Udp ? $" ({Lost} lost)" : "";
        string connections = Mode == EchoMode.Udp ? "sockets" : "connections";
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"{mode}: {Ok} ok, {Failed} failed{lost}, {Connections} {connections}, {ClosedByServer} closed by server"));
        output.WriteLine(string.Create(c, $"latency ms: p50 {Ms(P50Ms)}  p90 {Ms(P90Ms)}  p99 {Ms(P99Ms)}  max {Ms(MaxMs)}"));
        output.WriteLine(string.Create(c, $"throughput: {MessagesPerSecond:0} msg/s, {MebibytesPerSecond:0.00} MiB/s ({Bytes} bytes echoed in {Seconds:0.000} s)"));
    }

    public void WriteJson(Stream output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("mode", Mode.ToString().ToLowerInvariant());
        json.WriteNumber("ok", Ok);
        json.WriteNumber("failed", Failed);
        json.WriteNumber("lost", Lost);
        json.WriteNumber("connections", Connections);
        json.WriteNumber("closed_by_server", ClosedByServer);
        WriteMs(json, "p50_ms", P50Ms);
        WriteMs(json, "p90_ms", P90Ms);
        WriteMs(json, "p99_ms", P99Ms);
        WriteMs(json, "max_ms", MaxMs);
        json.WriteNumber("bytes", Bytes);
        json.WriteNumber("seconds", Math.Round(Seconds, 6));
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteMs(Utf8JsonWriter json, string name, double? ms)
    {
        if (ms is { } value) json.WriteNumber(name, Math.Round(value, 3));
        else json.WriteNull(name);
    }

    private static string Ms(double? ms) => ms is { } value ? value.ToString("0.000", CultureInfo.InvariantCulture) : "-";
}
