using XmppSniff.Core;

namespace XmppSniff.Capture.Files;

/// <summary>Reads the frames of one capture file in order.</summary>
public interface ICaptureReader : IDisposable
{
    string Path { get; }

    CaptureFormat Format { get; }

    /// <summary>How the file was compressed ("gzip"), null when it was not: it is read decompressed.</summary>
    string? Compression => null;

    /// <summary>Interfaces described by the file (pcap: exactly one).</summary>
    IReadOnlyList<CaptureInterface> Interfaces { get; }

    /// <summary>Comments the file carries (pcapng section, interface and packet comments), in file order.</summary>
    IReadOnlyList<string> Comments { get; }

    /// <summary>Problems met while reading (damage, truncation); reading stops at damage it cannot step over.</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>True when the file ends in the middle of a record.</summary>
    bool Truncated { get; }

    /// <summary>Bytes consumed so far, for progress.</summary>
    long Position { get; }

    long Length { get; }

    /// <summary>Reads the next frame; false at the end of the file or at damage (see <see cref="Warnings"/>).</summary>
    bool TryRead(out RawFrame frame);

    /// <summary>
    /// Where bytes (a frame's, or part of one) stay readable until the reader is disposed: the pipeline then
    /// points to them instead of copying them (see <see cref="ConsumedBefore"/>).
    /// </summary>
    KeptBytes Kept => default;

    /// <summary>Where the bytes of <see cref="Kept"/> can be read again later, from the file (null: nowhere).</summary>
    IRereadableBytes? Rereadable => null;

    /// <summary>
    /// The caller no longer reads what <see cref="Kept"/> holds before file position <paramref name="position"/>; until
    /// it says so the first time, the reader gives back memory behind itself as it sees fit. Positions only grow.
    /// </summary>
    void ConsumedBefore(long position)
    {
    }
}

public enum CaptureFormat
{
    Pcap,
    PcapNg,

    /// <summary>Not a file: packets from a network interface as they arrive (see Live/LiveCapture).</summary>
    Live,
}

/// <summary>A capture interface: pcap's file header or one pcapng Interface Description Block.</summary>
public sealed record CaptureInterface(LinkType LinkType, int SnapLength, string? Name, string? Description);
