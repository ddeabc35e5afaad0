using System.Text;
using XmppSniff.Core;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Text;

/// <summary>
/// The lifecycle ladder of one connection: every packet as an arrow between the client (left) and
/// the server (right), in time order, labelled with what it carried (handshake flags, the stanzas
/// or HTTP messages it completed, keep-alives, retransmissions) and with idle gaps drawn as gaps.
/// Built from the frame index and the records of the flow, never from the bytes.
/// </summary>
public static class Ladder
{
    /// <summary>Silences at least this long get their own line.</summary>
    public const long IdleGapNs = 1_000_000_000;

    private const int MaxLines = 50_000;

    public static List<StyledLine> Build(CaptureModel model, FlowRow flow, int arrowWidth = 46)
    {
        var lines = new List<StyledLine>
        {
            new($"flow {flow.Id}  {Proto(flow)}  {flow.Client} → {flow.Server}  {flow.App}  {flow.State}  {flow.Kind}  {Units.Seconds(flow.DurationSeconds)}", LineStyle.Heading),
            new($"{"time",10}  {Pad("client " + flow.Client, arrowWidth / 2)}{("server " + flow.Server).PadLeft(arrowWidth - arrowWidth / 2)}", LineStyle.Heading),
        };
        if (flow.FirstFrame < 0)
        {
            lines.Add(new("(no packets indexed for this flow)", LineStyle.Dim));
            return lines;
        }

        Dictionary<long, List<string>> labels = Labels(model, flow, out long encryptedAfter);
        var nextSeq = new uint?[2]; // per direction: the sequence number after the highest byte seen
        long previous = flow.Start;
        int last = Math.Min(flow.LastFrame, model.Frames.Count - 1);
        for (int i = flow.FirstFrame; i <= last && lines.Count < MaxLines; i++)
        {
            FrameEntry frame = model.Frames[i];
            if (frame.FlowId != flow.Id) continue;
            long number = i + 1;
            bool fromClient = frame.FromLow == flow.ClientIsLow;
            if (frame.Time - previous >= IdleGapNs)
                lines.Add(new($"{"",10}  {Center($"┊ idle {Units.Seconds((frame.Time - previous) / 1e9)} ┊", arrowWidth)}", LineStyle.Dim));
            previous = Math.Max(previous, frame.Time);

            (string label, LineStyle style) = Describe(frame, number, fromClient, labels, number > encryptedAfter, ref nextSeq[fromClient ? 0 : 1]);
            string time = "+" + ((frame.Time - flow.Start) / 1e9).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture);
            lines.Add(new($"{time,10}  {Arrow(label, fromClient, arrowWidth)}  #{number}", style));
        }
        if (flow.Record is { } r)
        {
            string closed = r.ClosedBy is { } by ? $"closed by {by.ToString().ToLowerInvariant()} ({r.Close.ToString().ToUpperInvariant()})" : $"not closed ({r.Close.ToString().ToLowerInvariant()})";
            lines.Add(new($"{closed}; state {r.State}, history {r.History}, {r.PacketsClientToServer + r.PacketsServerToClient} packets, longest idle {Units.Seconds(r.MaxIdleSeconds)}", LineStyle.Heading));
        }
        return lines;
    }

    private static (string Label, LineStyle Style) Describe(in FrameEntry frame, long number, bool fromClient, Dictionary<long, List<string>> labels, bool encrypted, ref uint? next)
    {
        LineStyle side = fromClient ? LineStyle.Client : LineStyle.Server;
        string carried = labels.TryGetValue(number, out List<string>? names) ? string.Join(", ", names) : encrypted ? "TLS" : "";
        if (frame.IsUdp) return (Join(carried, $"{frame.PayloadLength} B"), side);

        TcpFlags f = frame.Flags;
        int length = frame.PayloadLength;
        uint end = frame.Sequence + (uint)length + ((f & (TcpFlags.Syn | TcpFlags.Fin)) != 0 ? 1u : 0u);
        bool keepAlive = next is { } n && length <= 1 && frame.Sequence == n - 1 && (f & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst)) == 0;
        bool retransmitted = !keepAlive && next is { } m && length > 0 && (int)(end - m) <= 0;
        if (next is null || (int)(end - next.Value) > 0) next = end;

        if ((f & TcpFlags.Rst) != 0) return ("RST", LineStyle.Close);
        if ((f & TcpFlags.Syn) != 0) return ((f & TcpFlags.Ack) != 0 ? "SYN/ACK" : "SYN", side);
        if (keepAlive) return ("keep-alive", LineStyle.Dim);
        string data = length > 0 ? Join(carried, $"{length} B") : "";
        if (retransmitted) data = "retransmission " + data;
        if ((f & TcpFlags.Fin) != 0) return (Join(data, "FIN"), LineStyle.Close);
        if (length == 0) return ("ACK", LineStyle.Dim);
        return (data, side);
    }

    private static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + " " + b;

    /// <summary>What completed in each frame of the flow: stanza names, HTTP request lines and statuses.</summary>
    /// <param name="encryptedAfter">The frame after which the connection carries TLS (after STARTTLS's &lt;proceed/&gt;, or from the start of a TLS flow).</param>
    private static Dictionary<long, List<string>> Labels(CaptureModel model, FlowRow flow, out long encryptedAfter)
    {
        var labels = new Dictionary<long, List<string>>();
        encryptedAfter = flow.App == "tls" ? 0 : long.MaxValue;
        int stanzas = model.Stanzas.Count;
        for (int i = 0; i < stanzas; i++)
        {
            XmppElement e = model.Stanzas[i];
            if (e.Flow != flow.Id || e.Kind == "note") continue;
            if (e.Name == "proceed") encryptedAfter = Math.Min(encryptedAfter, e.LastFrame);
            string name = e.Kind switch
            {
                "stream-open" => "<stream>",
                "stream-close" => "</stream>",
                _ => "<" + e.Name + (e.Type is { } t ? " " + t : "") + ">",
            };
            Add(labels, e.LastFrame, name);
        }

        int http = model.Http.Count;
        if (http == 0) return labels;
        var byTime = new Dictionary<long, long>(); // frame time → frame number, for this flow
        for (int i = flow.FirstFrame; i <= flow.LastFrame && i < model.Frames.Count; i++)
            if (model.Frames[i].FlowId == flow.Id && model.Frames[i].PayloadLength > 0) byTime.TryAdd(model.Frames[i].Time, i + 1);
        for (int i = 0; i < http; i++)
        {
            HttpTransaction t = model.Http[i];
            if (t.Flow != flow.Id) continue;
            if (t.Method is not null && byTime.TryGetValue(t.Time, out long request)) Add(labels, request, $"{t.Method} {t.Uri}");
            if (t.Status is { } status && t.TtfbMs is { } ttfb)
            {
                long at = t.Time + (long)Math.Round(ttfb * 1e6);
                foreach (long candidate in (ReadOnlySpan<long>)[at, at - 1, at + 1])
                    if (byTime.TryGetValue(candidate, out long response))
                    {
                        Add(labels, response, $"{status} {t.Reason}".TrimEnd());
                        break;
                    }
            }
        }
        return labels;
    }

    private static void Add(Dictionary<long, List<string>> labels, long frame, string label)
    {
        if (!labels.TryGetValue(frame, out List<string>? list)) labels[frame] = list = [];
        if (list.Count < 6) list.Add(label);
        else if (list.Count == 6) list.Add("…");
    }

    /// <summary>An arrow the full width between the two columns, the label near its tail.</summary>
    public static string Arrow(string label, bool toRight, int width)
    {
        int room = width - 6;
        if (label.Length > room) label = label[..(room - 1)] + "…";
        int fill = width - label.Length - 4;
        var sb = new StringBuilder(width);
        if (toRight) sb.Append("──").Append(label).Append(' ').Append('─', Math.Max(0, fill - 1)).Append('▶');
        else sb.Append('◀').Append('─', Math.Max(0, fill - 1)).Append(' ').Append(label).Append("──");
        return sb.ToString();
    }

    private static string Proto(FlowRow flow) => flow.Protocol == IpProtocol.Udp ? "udp" : "tcp";

    private static string Pad(string s, int width) => s.Length >= width ? s[..width] : s.PadRight(width);

    private static string Center(string s, int width) => s.Length >= width ? s : s.PadLeft((width + s.Length) / 2).PadRight(width);
}
