namespace XmppSniff.Tui;

/// <summary>How the explorer runs.</summary>
public sealed record ExplorerOptions
{
    /// <summary>Refresh from the model this often.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Replay streams for Follow on the UI thread (tests), not in the background.</summary>
    public bool SynchronousFollow { get; init; }

    /// <summary>When set, the times of the first screen and of the fully loaded model go to this file (for measuring).</summary>
    public string? TraceFile { get; init; }
}
