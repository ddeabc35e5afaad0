using XmppSniff.Tui.Model;
using XmppSniff.Tui.Text;

namespace XmppSniff.Tui.Views;

/// <summary>
/// What the Connections view shows differently live: an open connection's duration runs on with
/// the clock, and an idle column says how long since its last packet.
/// </summary>
internal static class LiveColumns
{
    /// <summary>Seconds from the first packet to the last, or to now for a connection still open in a live capture.</summary>
    public static double Duration(CaptureModel model, FlowRow flow) =>
        flow.Record is null && model.Live is { } live ? Math.Max(0, live.Now - flow.Start) / 1e9 : flow.DurationSeconds;

    /// <summary>Seconds since the connection's last packet (blank once it ended), or null when not live.</summary>
    public static double? Idle(CaptureModel model, FlowRow flow) =>
        flow.Record is null && model.Live is { } live ? Math.Max(0, live.Now - flow.LastSeen) / 1e9 : null;

    /// <summary>The columns with "idle" after "dur" when the model is live; unchanged otherwise.</summary>
    public static Column<FlowRow>[] AddIdle(CaptureModel model, Column<FlowRow>[] columns)
    {
        if (model.Live is null) return columns;
        int at = Array.FindIndex(columns, c => c.Name == "dur") + 1;
        var idle = new Column<FlowRow>("idle", f => Idle(model, f) is { } s ? Units.Seconds(s) : "");
        return [.. columns[..at], idle, .. columns[at..]];
    }
}
