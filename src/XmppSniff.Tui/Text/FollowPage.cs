using System.Text;
using XmppSniff.Core;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Text;

/// <summary>
/// A connection's conversation, each side in its own colour: for XMPP the elements as the
/// analyzer saw them, pretty-printed (secrets already redacted); for anything else the
/// reassembled bytes as text, non-printables as '.'.
/// </summary>
public static class FollowPage
{
    private const int MaxLines = 100_000;

    public static bool HasElements(CaptureModel model, long flowId)
    {
        int count = model.Stanzas.Count;
        for (int i = 0; i < count; i++)
            if (model.Stanzas[i].Flow == flowId) return true;
        return false;
    }

    public static List<StyledLine> FromElements(CaptureModel model, FlowRow flow)
    {
        var lines = Header(flow, "XMPP elements, pretty-printed");
        int count = model.Stanzas.Count;
        for (int i = 0; i < count && lines.Count < MaxLines; i++)
        {
            XmppElement e = model.Stanzas[i];
            if (e.Flow != flow.Id) continue;
            bool fromClient = e.Direction == FlowSide.Client;
            LineStyle style = e.Kind == "note" ? LineStyle.Error : fromClient ? LineStyle.Client : LineStyle.Server;
            lines.Add(new($"{(fromClient ? ">>> client" : "<<< server")}  +{Units.Relative(e.Time, flow.Start)}  frame {Frames(e)}  {e.Summary}", LineStyle.Dim));
            if (e.Kind == "note")
            {
                lines.Add(new($"    [{e.Name}] {e.Error ?? e.Summary}", style));
                continue;
            }
            foreach (string line in XmlPretty.Lines(e.Xml ?? ""))
                lines.Add(new((fromClient ? "" : "    ") + line, style));
            if (e.Truncated) lines.Add(new($"    [truncated: {e.Size} bytes]", LineStyle.Error));
        }
        return lines;
    }

    public static List<StyledLine> FromChunks(FlowRow flow, IReadOnlyList<StreamChunk> chunks)
    {
        var lines = Header(flow, "reassembled bytes");
        foreach (StreamChunk chunk in chunks)
        {
            if (lines.Count >= MaxLines)
            {
                lines.Add(new("[… cut here]", LineStyle.Dim));
                break;
            }
            if (chunk.GapLength > 0)
            {
                lines.Add(new($"[gap: {chunk.GapLength} bytes from the {(chunk.FromClient ? "client" : "server")} were not captured]", LineStyle.Error));
                continue;
            }
            LineStyle style = chunk.FromClient ? LineStyle.Client : LineStyle.Server;
            lines.Add(new($"{(chunk.FromClient ? ">>> client" : "<<< server")}  {chunk.Data.Length} bytes  +{Units.Relative(chunk.Time, flow.Start)}  frame {chunk.Frame}", LineStyle.Dim));
            foreach (string line in Printable(chunk.Data).Split('\n'))
                if (line.Length > 0) lines.Add(new((chunk.FromClient ? "" : "    ") + line, style));
        }
        if (chunks.Count == 0) lines.Add(new("(no payload)", LineStyle.Dim));
        return lines;
    }

    private static List<StyledLine> Header(FlowRow flow, string what) =>
    [
        new($"follow flow {flow.Id}: {flow.Client} → {flow.Server}  {flow.App}  ({what}; client flush left, server indented)", LineStyle.Heading),
    ];

    private static string Frames(XmppElement e) => e.FirstFrame == e.LastFrame ? e.FirstFrame.ToString() : $"{e.FirstFrame}-{e.LastFrame}";

    private static string Printable(byte[] data)
    {
        var sb = new StringBuilder(data.Length);
        foreach (byte b in data)
        {
            if (b == '\r') continue;
            sb.Append(b is (>= 0x20 and < 0x7F) or (byte)'\n' or (byte)'\t' ? (char)b : '.');
        }
        return sb.ToString();
    }
}
