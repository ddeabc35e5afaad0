using XmppSniff.Core;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Text;

/// <summary>One XMPP element in full: its fields, its XML as an indented tree (secrets as the analyzer redacted them), and the iq it answers or that answered it.</summary>
public static class StanzaPage
{
    public static List<StyledLine> Build(CaptureModel model, XmppElement e)
    {
        bool fromClient = e.Direction == FlowSide.Client;
        var lines = new List<StyledLine>
        {
            new($"{e.Kind} <{e.Name}>  flow {e.Flow}  {(fromClient ? "client → server" : "server → client")}  {(fromClient ? e.Client : e.Server)} → {(fromClient ? e.Server : e.Client)}", LineStyle.Heading),
            new($"time {Units.Relative(e.Time, model.FirstTime)} s   frames {(e.FirstFrame == e.LastFrame ? e.FirstFrame.ToString() : $"{e.FirstFrame}-{e.LastFrame}")}   size {e.Size} bytes{(e.Truncated ? " (truncated)" : "")}"),
        };
        AddField(lines, "namespace", e.Namespace);
        AddField(lines, "id", e.Id);
        AddField(lines, "type", e.Type);
        AddField(lines, "from", e.From);
        AddField(lines, "to", e.To);
        AddField(lines, "body", e.Body);
        AddField(lines, "summary", e.Summary);
        if (e.RttMs is { } rtt) AddField(lines, "rtt", Units.Ms(rtt));
        if (e.Error is { } error) lines.Add(new($"  error: {error}", LineStyle.Error));
        lines.Add(new(""));
        LineStyle side = fromClient ? LineStyle.Client : LineStyle.Server;
        foreach (string line in XmlPretty.Lines(e.Xml ?? "")) lines.Add(new(line, side));

        if (e.Name == "iq" && e.Id is not null && Pair(model, e) is { } pair)
        {
            lines.Add(new(""));
            string what = pair.Time >= e.Time ? "answered by" : "answers";
            lines.Add(new($"{what} iq type={pair.Type} at {Units.Relative(pair.Time, model.FirstTime)} s, frame {pair.LastFrame}{(pair.RttMs is { } r ? $", rtt {Units.Ms(r)}" : e.RttMs is { } r2 ? $", rtt {Units.Ms(r2)}" : "")}", LineStyle.Heading));
            LineStyle pairSide = pair.Direction == FlowSide.Client ? LineStyle.Client : LineStyle.Server;
            foreach (string line in XmlPretty.Lines(pair.Xml ?? "")) lines.Add(new(line, pairSide));
        }
        return lines;
    }

    /// <summary>The iq with the same id on the same flow, the other way round.</summary>
    public static XmppElement? Pair(CaptureModel model, XmppElement e)
    {
        int count = model.Stanzas.Count;
        for (int i = 0; i < count; i++)
        {
            XmppElement other = model.Stanzas[i];
            if (other.Flow == e.Flow && other.Name == "iq" && other.Id == e.Id && other.Direction != e.Direction) return other;
        }
        return null;
    }

    private static void AddField(List<StyledLine> lines, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) lines.Add(new($"  {name}: {value}"));
    }
}
