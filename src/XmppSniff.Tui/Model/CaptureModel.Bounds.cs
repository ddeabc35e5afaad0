namespace XmppSniff.Tui.Model;

/// <summary>How many rows a live model keeps of each kind before dropping the oldest.</summary>
public sealed record ModelBounds(int Frames = 200_000, int Flows = 20_000, int Stanzas = 50_000, int Http = 20_000);

public sealed partial class CaptureModel
{
    /// <summary>Set for a live capture: the UI then shows running durations, the capture's status and pause.</summary>
    public ILiveSource? Live { get; init; }

    /// <summary>Drops the oldest frames beyond the bound (call on the thread that adds frames).</summary>
    public void BoundFrames(ModelBounds bounds)
    {
        if (Frames.Held > bounds.Frames && Frames.DropOldest(bounds.Frames) > 0) Changed();
    }

    /// <summary>
    /// Drops the oldest connections, stanzas and HTTP transactions beyond the bounds (call on the
    /// engine thread, which adds them). A dropped connection is forgotten: later packets of it are
    /// counted in no row.
    /// </summary>
    public void BoundRows(ModelBounds bounds)
    {
        bool dropped = false;
        if (Flows.Held > bounds.Flows)
        {
            int first = Flows.First;
            if (Flows.DropOldest(bounds.Flows) > 0)
            {
                dropped = true;
                lock (_flowIndexLock)
                    for (int i = first; i < Flows.First; i++)
                        _flowIndexById.Remove(Flows[i].Id);
            }
        }
        if (Stanzas.Held > bounds.Stanzas) dropped |= Stanzas.DropOldest(bounds.Stanzas) > 0;
        if (Http.Held > bounds.Http) dropped |= Http.DropOldest(bounds.Http) > 0;
        if (dropped) Changed();
    }
}
