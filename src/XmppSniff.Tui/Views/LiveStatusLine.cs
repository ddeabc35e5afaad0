using XmppSniff.Tui.Model;
using XmppSniff.Tui.Text;

namespace XmppSniff.Tui.Views;

/// <summary>The status bar's right part in live mode: the capture's own status, then the flows and what the bounded view let go.</summary>
internal static class LiveStatusLine
{
    public static string Build(CaptureModel model, ILiveSource live)
    {
        string text = $"{live.Status}  {Units.Count(model.Flows.Count)} flows";
        int droppedFlows = model.Flows.First, droppedFrames = model.Frames.First;
        if (droppedFlows > 0 || droppedFrames > 0)
        {
            text += "  let go:";
            if (droppedFlows > 0) text += $" {Units.Count(droppedFlows)} flows";
            if (droppedFrames > 0) text += $" {Units.Count(droppedFrames)} pkts";
        }
        return text;
    }
}
