namespace XmppSniff.Capture.Live;

/// <summary>How to open a live capture: tcpdump's options, by the same names where it has them.</summary>
public sealed record LiveOptions
{
    /// <summary>Interface name (`-i`); null picks the first interface that is up and not loopback.</summary>
    public string? Interface { get; init; }

    /// <summary>BPF filter (`-f`), compiled by libpcap before capture starts.</summary>
    public string? Filter { get; init; }

    /// <summary>Bytes kept of each packet (`-s`).</summary>
    public int SnapLength { get; init; } = 262144;

    public bool Promiscuous { get; init; } = true;

    /// <summary>Kernel ring size in bytes (`-B`, which tcpdump takes in KiB): what absorbs a burst while the analyser is busy.</summary>
    public int BufferBytes { get; init; } = 16 << 20;

    /// <summary>
    /// Immediate mode: each packet is handed over as soon as the kernel has it. Off, the kernel
    /// fills blocks of packets (TPACKET_V3 on Linux) handed over when full or <see cref="IdleAfter"/>
    /// old: packets come up to that much later, but a buffer holds far more small packets (an
    /// immediate-mode ring slot is as large as the interface MTU: 64 KiB on `lo`).
    /// </summary>
    public bool Immediate { get; init; } = true;

    /// <summary>Stop after this many packets (`-c`); 0 for no limit.</summary>
    public long MaxPackets { get; init; }

    /// <summary>Stop after this much wall-clock time; null for no limit.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>How long a read waits for a packet before it reports the capture idle.</summary>
    public TimeSpan IdleAfter { get; init; } = TimeSpan.FromMilliseconds(100);
}
