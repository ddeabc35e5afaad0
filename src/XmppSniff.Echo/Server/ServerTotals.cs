namespace XmppSniff.Echo.Server;

/// <summary>Counters for the exit summary, updated from many connections at once.</summary>
public sealed class ServerTotals
{
    private long _accepted, _refused, _tcpBytes, _datagrams, _udpBytes, _peak;
    private readonly long[] _closes = new long[Enum.GetValues<CloseReason>().Length];

    public long Accepted => Interlocked.Read(ref _accepted);
    public long Refused => Interlocked.Read(ref _refused);
    public long TcpBytes => Interlocked.Read(ref _tcpBytes);
    public long Datagrams => Interlocked.Read(ref _datagrams);
    public long UdpBytes => Interlocked.Read(ref _udpBytes);
    public long PeakOpen => Interlocked.Read(ref _peak);

    public long Closed(CloseReason reason) => Interlocked.Read(ref _closes[(int)reason]);

    internal void Admitted(int openNow)
    {
        Interlocked.Increment(ref _accepted);
        long peak;
        while (openNow > (peak = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, openNow, peak) != peak)
        {
        }
    }

    internal void RefusedOne() => Interlocked.Increment(ref _refused);

    internal void ConnectionClosed(CloseReason reason, long bytesEchoed)
    {
        Interlocked.Increment(ref _closes[(int)reason]);
        Interlocked.Add(ref _tcpBytes, bytesEchoed);
    }

    internal void DatagramEchoed(int bytes)
    {
        Interlocked.Increment(ref _datagrams);
        Interlocked.Add(ref _udpBytes, bytes);
    }

    public string Describe()
    {
        string closes = string.Join(", ", Enum.GetValues<CloseReason>()
            .Where(r => r != CloseReason.Limit)
            .Select(r => $"{r.LogName()} {Closed(r)}"));
        return $"totals: tcp {Accepted} connections (peak {PeakOpen} open), {Refused} refused by limit, {TcpBytes} bytes echoed; " +
               $"closed: {closes}; udp {Datagrams} datagrams, {UdpBytes} bytes echoed";
    }
}
