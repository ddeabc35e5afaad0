namespace XmppSniff.Capture.Live;

/// <summary>
/// libpcap's counters (pcap_stats): packets the kernel passed the filter, packets it dropped because
/// the ring was full (the reader fell behind), and packets the interface itself dropped.
/// </summary>
public readonly record struct LiveStatistics(long Received, long Dropped, long InterfaceDropped);
