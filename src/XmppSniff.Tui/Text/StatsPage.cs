using XmppSniff.Core;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Text;

/// <summary>The Stats view: totals, protocol mix, flows by state and kind, top talkers, connections per client, and when connections began.</summary>
public static class StatsPage
{
    public static List<StyledLine> Build(CaptureModel model, int width = 80)
    {
        int frames = model.Frames.Count, flowCount = model.Flows.Count;
        var lines = new List<StyledLine>
        {
            new($"{model.Title}: {Units.Count(frames)} frames, {Units.Count(flowCount)} flows, {Units.Count(model.Stanzas.Count)} XMPP elements, {Units.Count(model.Http.Count)} HTTP transactions{(model.Done ? "" : " (still loading)")}", LineStyle.Heading),
        };
        var apps = new Dictionary<string, int>();
        var states = new Dictionary<string, int>();
        var kinds = new Dictionary<string, int>();
        var perClient = new Dictionary<string, (int Flows, long Bytes)>();
        long first = long.MaxValue, last = long.MinValue;
        for (int i = model.Flows.First; i < flowCount; i++)
        {
            FlowRow f = model.Flows[i];
            Bump(apps, (f.Protocol == IpProtocol.Udp ? "udp/" : "tcp/") + f.App);
            Bump(states, f.State);
            Bump(kinds, f.Kind);
            string client = f.Client.Address.ToString();
            perClient.TryGetValue(client, out var c);
            perClient[client] = (c.Flows + 1, c.Bytes + f.BytesUp + f.BytesDown);
            first = Math.Min(first, f.Start);
            last = Math.Max(last, f.Start);
        }

        Section(lines, "protocol mix (flows)", apps);
        Section(lines, "flows by state", states);
        Section(lines, "flows by kind", kinds);

        lines.Add(new(""));
        lines.Add(new("top talkers (client address: connections, bytes both ways)", LineStyle.Heading));
        foreach (var (client, (n, bytes)) in perClient.OrderByDescending(p => p.Value.Bytes).Take(10))
            lines.Add(new($"  {client,-40} {n,8} conns {Units.Bytes(bytes),10}"));

        lines.Add(new(""));
        lines.Add(new("connections per client (most first)", LineStyle.Heading));
        foreach (var (client, (n, _)) in perClient.OrderByDescending(p => p.Value.Flows).Take(10))
            lines.Add(new($"  {client,-40} {n,8}"));

        if (flowCount > 0) Histogram(lines, model, first, last, width);

        if (model.Warnings.Count > 0 || model.Error is not null)
        {
            lines.Add(new(""));
            lines.Add(new("warnings", LineStyle.Heading));
            if (model.Error is { } error) lines.Add(new("  " + error, LineStyle.Error));
            for (int i = 0; i < model.Warnings.Count; i++) lines.Add(new("  " + model.Warnings[i], LineStyle.Error));
        }
        return lines;
    }

    private static void Histogram(List<StyledLine> lines, CaptureModel model, long first, long last, int width)
    {
        const int Buckets = 12;
        long span = Math.Max(1, last - first + 1);
        var counts = new int[Buckets];
        for (int i = model.Flows.First; i < model.Flows.Count; i++)
            counts[(int)Math.Min(Buckets - 1, (model.Flows[i].Start - first) * Buckets / span)]++;
        int max = Math.Max(1, counts.Max());
        int barWidth = Math.Max(10, width - 30);
        lines.Add(new(""));
        lines.Add(new($"new connections over time ({Units.Seconds(span / 1e9)} in {Buckets} steps)", LineStyle.Heading));
        for (int b = 0; b < Buckets; b++)
        {
            // Where the step starts, in the step's own unit: microseconds are noise in a histogram, and years of them unreadable.
            string at = "+" + Units.Seconds((first + span * b / Buckets - model.FirstTime) / 1e9);
            lines.Add(new($"  {at,10} {counts[b],8} {new string('█', (int)((long)counts[b] * barWidth / max))}", LineStyle.Client));
        }
    }

    private static void Section(List<StyledLine> lines, string title, Dictionary<string, int> counts)
    {
        lines.Add(new(""));
        lines.Add(new(title, LineStyle.Heading));
        foreach (var (name, n) in counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
            lines.Add(new($"  {name,-20} {n,10:N0}"));
    }

    private static void Bump(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
