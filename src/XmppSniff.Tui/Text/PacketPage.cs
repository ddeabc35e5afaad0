using System.Text;
using PacketDotNet;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Text;

/// <summary>One frame dissected on demand: PacketDotNet's layer tree, then a hex and ASCII dump.</summary>
public static class PacketPage
{
    public static List<StyledLine> Build(long number, in FrameEntry entry, byte[]? data, long zero)
    {
        var lines = new List<StyledLine>
        {
            new($"frame {number}  time {Units.Relative(entry.Time, zero)} s  {entry.WireLength} bytes on the wire, {data?.Length ?? entry.CapturedLength} captured  link type {entry.LinkType}{(entry.FlowId > 0 ? $"  flow {entry.FlowId}" : "")}", LineStyle.Heading),
        };
        if (data is null)
        {
            lines.Add(new("(the frame's bytes are not at hand: the source cannot read frames again)", LineStyle.Dim));
            return lines;
        }

        lines.Add(new(""));
        try
        {
            // The outermost layer's verbose text already walks every layer inside it.
            Packet packet = Packet.ParsePacket((LinkLayers)entry.LinkType, data);
            foreach (string line in packet.ToString(StringOutputType.Verbose).Split('\n'))
            {
                string trimmed = line.TrimEnd('\r');
                if (trimmed.Trim().Length == 0 || IsPayloadDump(trimmed)) continue;
                lines.Add(new(trimmed, trimmed.Contains("*****") ? LineStyle.Heading : LineStyle.Normal));
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // PacketDotNet throws on some malformed frames; the hex below still shows them.
            lines.Add(new($"(PacketDotNet could not dissect this frame: {e.GetType().Name}: {e.Message.Split('\n')[0]})", LineStyle.Error));
        }

        lines.Add(new(""));
        lines.AddRange(Hex(data));
        return lines;
    }

    // Each layer's verbose text ends with its whole payload in hex; our own dump follows once.
    private static bool IsPayloadDump(string line) => line.TrimStart().StartsWith("0000 ", StringComparison.Ordinal) || line.Contains("Data: ******", StringComparison.Ordinal);

    public static IEnumerable<StyledLine> Hex(byte[] data)
    {
        for (int offset = 0; offset < data.Length; offset += 16)
        {
            var sb = new StringBuilder(80);
            sb.Append(offset.ToString("x4")).Append("  ");
            for (int i = 0; i < 16; i++)
            {
                if (i == 8) sb.Append(' ');
                sb.Append(offset + i < data.Length ? data[offset + i].ToString("x2") + " " : "   ");
            }
            sb.Append(' ');
            for (int i = offset; i < Math.Min(offset + 16, data.Length); i++)
                sb.Append(data[i] is >= 0x20 and < 0x7F ? (char)data[i] : '.');
            yield return new(sb.ToString(), LineStyle.Dim);
        }
    }
}
