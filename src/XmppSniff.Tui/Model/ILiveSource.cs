namespace XmppSniff.Tui.Model;

/// <summary>
/// What the UI shows and controls of a live capture: its clock (open connections' running duration
/// and idle time), a status line (packets received and dropped), and pause.
/// </summary>
public interface ILiveSource
{
    /// <summary>Now, in nanoseconds since the Unix epoch (the wall clock the packets are stamped with).</summary>
    long Now { get; }

    /// <summary>True while paused: packets are still read (so the kernel does not drop them) but discarded.</summary>
    bool Paused { get; set; }

    /// <summary>The status bar's capture part, e.g. "capturing lo  1,234 received  0 dropped".</summary>
    string Status { get; }
}
