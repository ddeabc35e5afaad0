namespace XmppSniff.Tui.Model;

/// <summary>
/// What the UI asks of wherever the packets came from, beyond the model: a frame's bytes again
/// (Packets view) and a connection's reassembled stream (Follow, for flows that are not XMPP).
/// A file re-reads itself; a live capture may keep recent frames in memory or answer null.
/// </summary>
public interface ICaptureSource
{
    /// <summary>The bytes of frame <paramref name="number"/> (1-based), or null when they are no longer at hand.</summary>
    byte[]? ReadFrame(long number, in FrameEntry entry);

    /// <summary>The ordered bytes of one connection, both directions, in the order they were delivered. May take a while; called off the UI thread.</summary>
    IReadOnlyList<StreamChunk> Follow(long flowId, CancellationToken cancel);
}

/// <summary>A run of bytes one side sent (or a gap: bytes never captured, <see cref="Data"/> empty).</summary>
public sealed record StreamChunk(bool FromClient, long Time, long Frame, byte[] Data, long GapLength = 0);
