using System.Text.Encodings.Web;
using System.Text.Json;
using XmppSniff.Core;
using XmppSniff.Output;

namespace XmppSniff.Running;

/// <summary>The `summary` report: named sections of key/value lines, printed as text or JSON.</summary>
internal sealed class SummaryReport
{
    private readonly List<(string Name, List<(string Key, Cell Value)> Lines)> _sections = [];

    public static SummaryReport Build(CaptureRun run, FlowTally tally, Analysis.Protocols.ElementLimitCounters? elements = null)
    {
        var report = new SummaryReport();
        var reader = run.Reader!;
        var d = run.Decode;
        var f = run.Flows;
        bool any = d.Frames > 0;

        report.Section("file")
            .Add("path", reader.Path)
            .Add("format", reader.Format == Capture.Files.CaptureFormat.Pcap ? "pcap" : "pcapng")
            .Add("compression", reader.Compression ?? "none")
            .Add("size_bytes", reader.Length)
            .Add("interfaces", reader.Interfaces.Count)
            .Add("comments", reader.Comments.Count)
            .Add("truncated", reader.Truncated ? "yes" : "no")
            .Add("warnings", reader.Warnings.Count);

        report.Section("packets")
            .Add("packets", d.Frames)
            .Add("bytes", run.Bytes)
            .Add("first", any ? Formats.Time(run.FirstTime) : null)
            .Add("last", any ? Formats.Time(run.LastTime) : null)
            .Add("duration_s", any ? Cell.Of((run.LastTime - run.FirstTime) / 1e9, 6) : Cell.Null)
            // As capinfos: averages over the packets, rates over the time from first to last (none for an instant).
            .Add("average_packet_bytes", any ? Cell.Of((double)run.Bytes / d.Frames, 2) : Cell.Null)
            .Add("bytes_per_s", Rate(run, run.Bytes))
            .Add("packets_per_s", Rate(run, d.Frames));

        var links = report.Section("link_types");
        foreach ((string name, long count) in run.LinkTypeCounts()) links.Add(name, count);

        report.Section("protocols")
            .Add("ipv4", d.Ipv4).Add("ipv6", d.Ipv6)
            .Add("tcp", d.Tcp).Add("udp", d.Udp).Add("icmp", d.Icmp)
            .Add("other_ip", d.OtherIp - d.Icmp).Add("not_ip", d.NotIp);

        report.Section("decode_errors")
            .Add("truncated", d.Truncated).Add("malformed", d.Malformed)
            .Add("unsupported_link_type", d.UnsupportedLinkType)
            .Add("fragments_held", d.FragmentsHeld).Add("datagrams_reassembled", d.DatagramsReassembled)
            .Add("fragments_dropped", d.FragmentsDropped)
            .Add("fragment_overlaps", d.FragmentOverlaps)
            .Add("datagrams_evicted", d.DatagramsEvicted)
            .Add("datagrams_timed_out", d.DatagramsTimedOut);

        var flows = report.Section("flows")
            .Add("flows", tally.Flows).Add("tcp", f.TcpFlows).Add("udp", f.UdpFlows)
            .Add("missed_bytes", tally.MissedBytes).Add("retransmissions", tally.Retransmissions)
            .Add("overlap_conflicts", run.Table!.Budget.OverlapConflicts)
            .Add("retransmission_conflicts", run.Table.Budget.RetransmissionConflicts);
        foreach (var (name, counts) in new[] { ("state", tally.ByState), ("kind", tally.ByKind), ("app", tally.ByApp), ("close", tally.ByClose) })
            foreach ((string key, long count) in counts) flows.Add($"{name} {key}", count);

        Xmpp(report, tally.Xmpp);
        Http(report, tally.Http);

        report.Section("limits")
            .Add("peak_flows", f.PeakFlows)
            .Add("flows_evicted", f.FlowsEvicted)
            .Add("closed_ended_early", f.ClosedEndedEarly)
            .Add("flows_timed_out", f.FlowsEndedByTimeout)
            .Add("ooo_limit_hits", run.Table!.Budget.LimitHits)
            .Add("ooo_flow_limit_hits", run.Table.Budget.PerFlowLimitHits)
            .Add("ooo_total_limit_hits", run.Table.Budget.TotalLimitHits)
            .Add("peak_buffered_bytes", run.Table.Budget.PeakHeld)
            .Add("elements_truncated", elements?.ElementsTruncated ?? 0)
            .Add("elements_too_deep", elements?.ElementsTooDeep ?? 0)
            .Add("time_went_backwards", f.TimeWentBackwards);
        return report;
    }

    private static Cell Rate(CaptureRun run, long count) =>
        run.LastTime > run.FirstTime ? Cell.Of(count / ((run.LastTime - run.FirstTime) / 1e9), 2) : Cell.Null;

    private static void Xmpp(SummaryReport report, XmppTally x)
    {
        var xmpp = report.Section("xmpp")
            .Add("connections", x.Connections).Add("connections_starttls", x.StartTlsConnections)
            .Add("elements", x.Elements)
            .Add("stanza_errors", x.StanzaErrors).Add("stream_errors", x.StreamErrors)
            .Add("iq_answered", x.Iq.Count)
            .Add("iq_rtt_min_ms", Cell.Of(x.Iq.MinMs, 3))
            .Add("iq_rtt_mean_ms", Cell.Of(x.Iq.MeanMs, 3))
            .Add("iq_rtt_max_ms", Cell.Of(x.Iq.MaxMs, 3));
        foreach (var (name, counts) in new[] { ("sasl", x.Sasl), ("kind", x.ByKind), ("stanza", x.Stanzas), ("note", x.Notes) })
            foreach ((string key, long count) in counts) xmpp.Add($"{name} {key}", count);
        foreach ((string request, RoundTrips trips) in x.IqByRequest)
            xmpp.Add($"rtt {request} answered", trips.Count)
                .Add($"rtt {request} mean_ms", Cell.Of(trips.MeanMs, 3))
                .Add($"rtt {request} max_ms", Cell.Of(trips.MaxMs, 3));
    }

    private static void Http(SummaryReport report, HttpTally h)
    {
        var http = report.Section("http")
            .Add("transactions", h.Transactions).Add("no_response", h.NoResponse)
            .Add("ttfb_min_ms", Cell.Of(h.Ttfb.MinMs, 3))
            .Add("ttfb_mean_ms", Cell.Of(h.Ttfb.MeanMs, 3))
            .Add("ttfb_max_ms", Cell.Of(h.Ttfb.MaxMs, 3));
        foreach ((string method, long count) in h.Methods) http.Add($"method {method}", count);
        foreach ((string host, long count) in h.Hosts) http.Add($"host {host}", count);
        foreach ((int status, long count) in h.Statuses) http.Add($"status {status}", count);
    }

    public void WriteText(TextWriter output)
    {
        foreach (var (name, lines) in _sections)
        {
            output.WriteLine(name.Replace('_', ' ') + ":");
            int width = lines.Count == 0 ? 0 : lines.Max(l => l.Key.Length);
            foreach (var (key, value) in lines)
                output.WriteLine($"  {key.PadRight(width)}  {(value.IsNull ? "-" : value.ToString())}");
        }
    }

    public void WriteJson(TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (name, lines) in _sections)
            {
                json.WriteStartObject(name);
                foreach (var (key, value) in lines)
                {
                    if (value.IsNumber) json.WriteNumber(key, value.Decimal);
                    else if (value.IsNull) json.WriteNull(key);
                    else json.WriteString(key, value.Text);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private Lines Section(string name)
    {
        var lines = new List<(string, Cell)>();
        _sections.Add((name, lines));
        return new Lines(lines);
    }

    private readonly struct Lines(List<(string, Cell)> lines)
    {
        public Lines Add(string key, Cell value)
        {
            lines.Add((key, value));
            return this;
        }
    }
}
