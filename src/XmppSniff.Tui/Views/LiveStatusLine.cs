using XmppSniff.Tui.Model;
using XmppSniff.Tui.Text;

namespace XmppSniff.Tui.Views;

/// <summary>The status bar's right part in live mode: the capture's own status, then what the view holds and what it let go.</summary>
internal static class LiveStatusLine
{
    public static string Build(CaptureModel model, ILiveSource live)
    {
        string text = $"{live.Status}  {Units.Count(model.Flows.Count)} flows";
        int droppedFrames = model.Frames.First, droppedFlows = model.Flows.First;
        if (droppedFrames > 0 || droppedFlows > 0)
            text += $"  (oldest {Units.Count(droppedFrames)} pkts {Units.Count(droppedFlows)} flows let go)";
        return text;
    }
}
