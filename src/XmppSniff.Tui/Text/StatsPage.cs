using XmppSniff.Core;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Text;

/// <summary>The Stats view: totals, protocol mix, flows by state and kind, XMPP, top talkers, connections per client, and when connections began.</summary>
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
        Xmpp(lines, model);
        Http(lines, model);

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

    /// <summary>What `summary` says of XMPP (see <see cref="XmppTally"/>).</summary>
    private static void Xmpp(List<StyledLine> lines, CaptureModel model)
    {
        XmppTally x = RecordCounts.Of(model).Xmpp;
        // Connections and their SASL outcome from the flows' records, which come when each flow ends, anywhere in the list.
        var sessions = new XmppTally();
        for (int i = model.Flows.First; i < model.Flows.Count; i++)
            if (model.Flows[i].Record is { } record) sessions.Add(record);
        if (x.Elements == 0 && sessions.Connections == 0) return;
        lines.Add(new(""));
        lines.Add(new($"XMPP: {Units.Count(sessions.Connections)} connection{(sessions.Connections == 1 ? "" : "s")} ({Units.Count(sessions.StartTlsConnections)} with STARTTLS), {Units.Count(x.Elements)} elements", LineStyle.Heading));
        if (x.Iq.Count > 0) lines.Add(new($"  {"iq round trips",-28} {Times(x.Iq, "answered")}"));
        foreach ((string request, RoundTrips trips) in x.IqByRequest) lines.Add(new($"    {request,-26} {Times(trips, "answered")}"));
        if (x.StanzaErrors > 0) lines.Add(new($"  {"stanza errors",-28} {x.StanzaErrors,10:N0}", LineStyle.Error));
        if (x.StreamErrors > 0) lines.Add(new($"  {"stream errors",-28} {x.StreamErrors,10:N0}", LineStyle.Error));
        foreach (var (name, counts) in new[] { ("sasl", sessions.Sasl), ("stanza", x.Stanzas), ("note", x.Notes) })
            foreach ((string key, long n) in counts)
                lines.Add(new($"  {name + " " + key,-28} {n,10:N0}", name == "note" ? LineStyle.Error : LineStyle.Normal));
    }

    /// <summary>What `summary` says of HTTP (see <see cref="HttpTally"/>).</summary>
    private static void Http(List<StyledLine> lines, CaptureModel model)
    {
        HttpTally h = RecordCounts.Of(model).Http;
        if (h.Transactions == 0) return;
        lines.Add(new(""));
        lines.Add(new($"HTTP: {Units.Count(h.Transactions)} transactions, {Units.Count(h.NoResponse)} without a response", LineStyle.Heading));
        if (h.Ttfb.Count > 0) lines.Add(new($"  {"time to first byte",-28} {Times(h.Ttfb, "responses")}"));
        foreach ((string method, long n) in h.Methods) lines.Add(new($"  {"method " + method,-28} {n,10:N0}"));
        foreach ((string host, long n) in h.Hosts) lines.Add(new($"  {"host " + host,-28} {n,10:N0}"));
        foreach ((int status, long n) in h.Statuses) lines.Add(new($"  {"status " + status,-28} {n,10:N0}", status >= 400 ? LineStyle.Error : LineStyle.Normal));
    }

    private static string Times(RoundTrips t, string what) => $"{t.Count,10:N0} {what}: min {Ms(t.MinMs)}, mean {Ms(t.MeanMs)}, max {Ms(t.MaxMs)}";

    private static string Ms(double? ms) => Units.Seconds(ms!.Value / 1000);

    private static void Histogram(List<StyledLine> lines, CaptureModel model, long first, long last, int width)
    {
        // Connections that all started at one instant (one connection, say) make one step, not twelve of no length.
        int buckets = last > first ? 12 : 1;
        long span = Math.Max(1, last - first + 1);
        var counts = new int[buckets];
        for (int i = model.Flows.First; i < model.Flows.Count; i++)
            counts[(int)Math.Min(buckets - 1, (model.Flows[i].Start - first) * buckets / span)]++;
        int max = Math.Max(1, counts.Max());
        int barWidth = Math.Max(10, width - 30);
        lines.Add(new(""));
        lines.Add(new(buckets > 1 ? $"new connections over time ({Units.Seconds(span / 1e9)} in {buckets} steps)" : "new connections over time (all at one instant)",
            LineStyle.Heading));
        for (int b = 0; b < buckets; b++)
        {
            // Where the step starts, in the step's own unit: microseconds are noise in a histogram, and years of them unreadable.
            string at = "+" + Units.Seconds((first + span * b / buckets - model.FirstTime) / 1e9);
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
