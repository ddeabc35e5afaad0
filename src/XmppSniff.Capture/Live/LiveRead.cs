namespace XmppSniff.Capture.Live;

/// <summary>What one read of a live capture gave.</summary>
public enum LiveRead
{
    /// <summary>A frame, valid until the next read.</summary>
    Frame,

    /// <summary>No packet for a while: time has moved on without one (see <see cref="LiveCapture.Clock"/>).</summary>
    Idle,

    /// <summary>The capture is over: stopped, or its packet count or duration reached.</summary>
    End,
}
