namespace XmppSniff.Capture.Files;

/// <summary>
/// One row of a section's interface table: what a packet block needs to become a frame.
/// <see cref="Index"/> is the position in the reader's <see cref="ICaptureReader.Interfaces"/>,
/// which spans all sections.
/// </summary>
internal readonly record struct PcapNgInterface(LinkType LinkType, uint SnapLength, TimestampScale Scale, int Index);
