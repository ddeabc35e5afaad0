using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>The fields of `xmppsniff stanzas`. The names are a public interface (see README).</summary>
internal static class StanzaColumns
{
    public static readonly Column<XmppElement>[] All =
    [
        new("flow", r => r.Flow, 4, true),
        Columns.Endpoint<XmppElement>("client", r => r.Client),
        Columns.Endpoint<XmppElement>("server", r => r.Server),
        new("dir", r => r.Dir, 3),
        Columns.Time<XmppElement>("time", r => r.Time, 27),
        new("frames", r => r.FirstFrame == r.LastFrame ? r.FirstFrame.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{r.FirstFrame}-{r.LastFrame}", 9)
        {
            Json = (r, to) => JsonFields.Frames(r.FirstFrame, r.LastFrame, to),
        },
        new("kind", r => r.Kind, 12),
        new("name", r => r.Name, 10),
        new("ns", r => r.Namespace),
        new("id", r => Cell.OfUtf8(r.IdUtf8)),
        new("type", r => r.Type, 11),
        new("from", r => Cell.OfUtf8(r.FromUtf8)),
        new("to", r => Cell.OfUtf8(r.ToUtf8)),
        new("body", r => Cell.OfUtf8(r.BodyUtf8)),
        new("summary", r => r.Summary, 60),
        new("rtt_ms", r => Cell.Of(r.RttMs, 3), 8, true),
        new("answers", r => r.Answers, 16),
        new("error", r => r.Error, 20),
        new("truncated", r => r.Truncated),
        new("size", r => r.Size),
        new("xml", r => Cell.OfUtf8(r.XmlUtf8)),
    ];
}
