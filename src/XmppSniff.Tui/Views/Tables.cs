using System.Globalization;
using XmppSniff.Core;
using XmppSniff.Tui.Filtering;
using XmppSniff.Tui.Model;
using XmppSniff.Tui.Text;

namespace XmppSniff.Tui.Views;

/// <summary>The four tables (Connections, Stanzas, Packets, HTTP): columns, filter fields and sort orders over the model.</summary>
internal static class Tables
{
    private static string S(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static (string, int)[] Ends(Endpoint a, Endpoint b) => [(a.Address.ToString(), a.Port), (b.Address.ToString(), b.Port)];

    public static RowsSource<FlowRow> Connections(CaptureModel model)
    {
        Column<FlowRow>[] columns =
        [
            new("id", f => S(f.Id)),
            new("client", f => f.Client.ToString()),
            new("server", f => f.Server.ToString()),
            new("app", f => f.App),
            new("state", f => f.State),
            new("kind", f => f.Kind),
            new("dur", f => Units.Seconds(LiveColumns.Duration(model, f))),
            new("pkts", f => S(f.Packets)),
            new("up", f => Units.Bytes(f.BytesUp)),
            new("down", f => Units.Bytes(f.BytesDown)),
            new("stz/req", f => f.Stanzas > 0 ? S(f.Stanzas) : f.Requests > 0 ? S(f.Requests) + "r" : ""),
            new("flags", f => f.Flags),
        ];
        columns = LiveColumns.AddIdle(model, columns);
        var fields = new FilterFields<FlowRow>(
            new Dictionary<string, Func<FlowRow, string?>>
            {
                ["id"] = f => S(f.Id),
                ["flow"] = f => S(f.Id),
                ["proto"] = f => Proto(f.Protocol),
                ["client"] = f => f.Client.ToString(),
                ["server"] = f => f.Server.ToString(),
                ["app"] = f => f.App,
                ["state"] = f => f.State,
                ["kind"] = f => f.Kind,
                ["history"] = f => f.Record?.History,
                ["close"] = f => f.Record?.Close.ToString().ToLowerInvariant(),
                ["closed_by"] = f => f.Record?.ClosedBy?.ToString().ToLowerInvariant(),
                ["flags"] = f => f.Flags,
            },
            f => $"{f.Id} {f.Client} {f.Server} {f.App} {f.State} {f.Kind} {f.Flags} {string.Join(' ', f.Record?.Notes ?? [])}",
            f => Ends(f.Client, f.Server),
            f => Proto(f.Protocol) + "/" + f.App);
        (string, Comparison<FlowRow>)[] sorts =
        [
            ("longest first", (a, b) => b.DurationSeconds.CompareTo(a.DurationSeconds)),
            ("most bytes first", (a, b) => (b.BytesUp + b.BytesDown).CompareTo(a.BytesUp + a.BytesDown)),
            ("most packets first", (a, b) => b.Packets.CompareTo(a.Packets)),
            ("most stanzas/requests first", (a, b) => (b.Stanzas + b.Requests).CompareTo(a.Stanzas + a.Requests)),
            ("by state", (a, b) => string.CompareOrdinal(a.State, b.State)),
        ];
        return new RowsSource<FlowRow>(columns, () => model.Flows.Count, i => model.Flows[i], fields, rowsChange: true, sorts, first: () => model.Flows.First, style: f => f.Record switch
        {
            null => LineStyle.Dim,
            { State: "S0" or "REJ" or "RSTOS0" or "RSTRH" or "SH" or "SHR" } => LineStyle.Error,
            { Close: CloseKind.Rst } => LineStyle.Close,
            { MissedBytes: > 0 } or { Retransmissions: > 0 } => LineStyle.Heading,
            _ => LineStyle.Normal,
        });
    }

    public static RowsSource<XmppElement> Stanzas(CaptureModel model)
    {
        Column<XmppElement>[] columns =
        [
            new("time", e => Units.Relative(e.Time, model.FirstTime)),
            new("flow", e => S(e.Flow)),
            new("dir", e => e.Direction == FlowSide.Client ? "→" : "←"),
            new("element", e => Element(e)),
            new("summary", e => Summary(e)),
            new("from", e => e.From ?? ""),
            new("to", e => e.To ?? ""),
            new("id", e => e.Id ?? ""),
            new("rtt", e => e.RttMs is { } rtt ? Units.Ms(rtt) : ""),
            new("kind", e => e.Kind),
        ];
        var fields = new FilterFields<XmppElement>(
            new Dictionary<string, Func<XmppElement, string?>>
            {
                ["flow"] = e => S(e.Flow),
                ["dir"] = e => e.Dir,
                ["kind"] = e => e.Kind,
                ["name"] = e => e.Name,
                ["ns"] = e => e.Namespace,
                ["type"] = e => e.Type,
                ["from"] = e => e.From,
                ["to"] = e => e.To,
                ["id"] = e => e.Id,
                ["body"] = e => e.Body,
                ["error"] = e => e.Error,
            },
            e => $"{e.Name} {e.Type} {e.From} {e.To} {e.Id} {e.Summary} {e.Body} {e.Error}",
            e => Ends(e.Client, e.Server),
            _ => "tcp/xmpp");
        return new RowsSource<XmppElement>(columns, () => model.Stanzas.Count, i => model.Stanzas[i], fields, first: () => model.Stanzas.First, style: e =>
            e.Kind == "note" || e.Error is not null ? LineStyle.Error : e.Direction == FlowSide.Client ? LineStyle.Client : LineStyle.Server);
    }

    public static RowsSource<int> Packets(CaptureModel model)
    {
        Column<int>[] columns =
        [
            new("no", i => S(i + 1)),
            new("time", i => Units.Relative(model.Frames[i].Time, model.FirstTime)),
            new("flow", i => model.Frames[i].FlowId > 0 ? S(model.Frames[i].FlowId) : ""),
            new("source", i => Ends(model, i).Source),
            new("destination", i => Ends(model, i).Destination),
            new("proto", i => model.Frames[i].FlowId == 0 ? "" : model.Frames[i].IsUdp ? "udp" : "tcp"),
            new("len", i => S(model.Frames[i].WireLength)),
            new("info", i => Info(model.Frames[i])),
        ];
        var fields = new FilterFields<int>(
            new Dictionary<string, Func<int, string?>>
            {
                ["flow"] = i => S(model.Frames[i].FlowId),
                ["no"] = i => S(i + 1),
                ["flags"] = i => Info(model.Frames[i]),
                ["len"] = i => S(model.Frames[i].PayloadLength),
            },
            i => $"{Ends(model, i).Source} {Ends(model, i).Destination} {Info(model.Frames[i])}",
            i => model.FindFlow(model.Frames[i].FlowId) is { } f ? Ends(f.Client, f.Server) : [],
            i => model.Frames[i].FlowId == 0 ? null : (model.Frames[i].IsUdp ? "udp/" : "tcp/") + (model.FindFlow(model.Frames[i].FlowId)?.App ?? ""));
        return new RowsSource<int>(columns, () => model.Frames.Count, i => i, fields,
            settledCount: () => model.Done ? model.Frames.Count : (int)model.LastPacketNumber,
            style: i => PacketStyle(model, i), first: () => model.Frames.First);
    }

    public static RowsSource<HttpTransaction> Http(CaptureModel model)
    {
        Column<HttpTransaction>[] columns =
        [
            new("time", t => Units.Relative(t.Time, model.FirstTime)),
            new("flow", t => S(t.Flow)),
            new("method", t => t.Method ?? ""),
            new("uri", t => t.Uri ?? ""),
            new("status", t => t.Status is { } s ? S(s) : ""),
            new("host", t => t.Host ?? ""),
            new("req", t => Units.Bytes(t.RequestBytes)),
            new("resp", t => Units.Bytes(t.ResponseBytes)),
            new("ttfb", t => t.TtfbMs is { } ms ? Units.Ms(ms) : ""),
            new("dur", t => t.DurationMs is { } ms ? Units.Ms(ms) : ""),
            new("type", t => t.ContentType ?? ""),
            new("client", t => t.Client.ToString()),
            new("server", t => t.Server.ToString()),
        ];
        var fields = new FilterFields<HttpTransaction>(
            new Dictionary<string, Func<HttpTransaction, string?>>
            {
                ["flow"] = t => S(t.Flow),
                ["method"] = t => t.Method,
                ["uri"] = t => t.Uri,
                ["host"] = t => t.Host,
                ["status"] = t => t.Status?.ToString(CultureInfo.InvariantCulture),
                ["type"] = t => t.ContentType,
                ["client"] = t => t.Client.ToString(),
                ["server"] = t => t.Server.ToString(),
            },
            t => $"{t.Method} {t.Uri} {t.Host} {t.Status} {t.Reason} {t.ContentType}",
            t => Ends(t.Client, t.Server),
            _ => "tcp/http");
        return new RowsSource<HttpTransaction>(columns, () => model.Http.Count, i => model.Http[i], fields,
            style: t => t.Status is null or >= 400 ? LineStyle.Error : LineStyle.Normal, first: () => model.Http.First);
    }

    private static LineStyle PacketStyle(CaptureModel model, int i)
    {
        FrameEntry frame = model.Frames[i];
        if (model.FindFlow(frame.FlowId) is not { } flow) return LineStyle.Dim;
        if ((frame.Flags & (TcpFlags.Rst | TcpFlags.Fin)) != 0) return LineStyle.Close;
        return frame.FromLow == flow.ClientIsLow ? LineStyle.Client : LineStyle.Server;
    }

    public static string Element(XmppElement e) => e.Kind switch
    {
        "stream-open" => "<stream>",
        "stream-close" => "</stream>",
        "note" => "! " + e.Name,
        _ => e.Type is { } t ? $"{e.Name} {t}" : e.Name,
    };

    public static string Summary(XmppElement e)
    {
        string s = e.Summary;
        if (e.Body is { } body && !s.Contains(body, StringComparison.Ordinal)) s += $" \"{body}\"";
        if (e.Error is { } error && !s.Contains(error, StringComparison.Ordinal)) s += " error: " + error;
        return s;
    }

    private static string Proto(IpProtocol p) => p == IpProtocol.Udp ? "udp" : "tcp";

    private static (string Source, string Destination) Ends(CaptureModel model, int i)
    {
        FrameEntry frame = model.Frames[i];
        if (model.FindFlow(frame.FlowId) is not { } flow) return ("", "");
        bool fromClient = frame.FromLow == flow.ClientIsLow;
        return fromClient ? (flow.Client.ToString(), flow.Server.ToString()) : (flow.Server.ToString(), flow.Client.ToString());
    }

    public static string Info(in FrameEntry frame)
    {
        if (frame.FlowId == 0) return frame.CapturedLength > 0 ? "(not TCP/UDP)" : "";
        if (frame.IsUdp) return $"len={frame.PayloadLength}";
        var flags = new List<string>(4);
        TcpFlags f = frame.Flags;
        if ((f & TcpFlags.Syn) != 0) flags.Add("SYN");
        if ((f & TcpFlags.Fin) != 0) flags.Add("FIN");
        if ((f & TcpFlags.Rst) != 0) flags.Add("RST");
        if ((f & TcpFlags.Psh) != 0) flags.Add("PSH");
        if ((f & TcpFlags.Ack) != 0) flags.Add("ACK");
        return $"[{string.Join(", ", flags)}] seq={frame.Sequence} len={frame.PayloadLength}";
    }
}
