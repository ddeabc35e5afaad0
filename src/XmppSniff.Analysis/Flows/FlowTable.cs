using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Flows;

/// <summary>
/// Keys every TCP and UDP packet to its flow (both ways round), tracks the flow, and ends it
/// on close, idle timeout (in capture time) or the flow limit, telling the listener.
/// </summary>
public sealed class FlowTable
{
    private const long ExpiryCheckIntervalNs = 1_000_000_000;

    private readonly FlowMap _flows = new();
    private readonly IFlowListener _listener;
    private readonly FlowLimits _limits;
    private readonly FlowList _closed;
    private readonly FlowList _tcp;
    private readonly FlowList _udp;
    private long _nextId = 1;
    private long _now = long.MinValue;
    private long _nextExpiryCheck = long.MinValue;

    public FlowTable(IFlowListener listener, FlowLimits? limits = null)
    {
        _listener = listener;
        _limits = limits ?? new FlowLimits();
        _closed = new FlowList(_limits.ClosedLinger);
        _tcp = new FlowList(_limits.TcpIdleTimeout);
        _udp = new FlowList(_limits.UdpIdleTimeout);
        Budget = new BufferBudget(_limits.MaxOutOfOrderBytesPerFlow, _limits.MaxBufferedBytes);
    }

    public FlowCounters Counters { get; } = new();

    public BufferBudget Budget { get; }

    public int LiveFlows => _flows.Count;

    /// <summary>Latest capture time seen, in nanoseconds since the epoch.</summary>
    public long Now => _now;

    /// <summary>Takes one TCP or UDP packet; other protocols are ignored.</summary>
    public void Process(ref Packet p)
    {
        if (p.Protocol is not (IpProtocol.Tcp or IpProtocol.Udp)) return;
        AdvanceTime(p.Time);

        var key = FlowKey.For(p.Source, p.Destination, p.Protocol, out _);
        ref Flow? slot = ref _flows.GetValueRefOrAddDefault(key, out bool exists);
        if (exists && IdleTooLong(slot!, p.Time))
        {
            // Exact timeouts whenever the expiry scan (which only reclaims memory) has not come by yet.
            bool timedOut = !slot!.IsClosed;
            if (timedOut) Counters.FlowsEndedByTimeout++;
            End(slot, timedOut, removeFromTable: false);
            exists = false;
        }
        else if (exists && StartsNewConnection(slot!, ref p))
        {
            End(slot!, timedOut: false, removeFromTable: false);
            exists = false;
        }
        Flow flow = exists ? slot! : slot = Create(key, ref p);
        Update(flow, ref p);
        // Only now: ending flows changes the dictionary, which invalidates `slot`.
        if (_closed.Count > _limits.MaxClosedFlows && _closed.Head is { } oldest)
        {
            Counters.ClosedEndedEarly++;
            End(oldest, timedOut: false);
        }
        if (!exists)
        {
            if (_flows.Count > _limits.MaxFlows) EvictOldest(flow);
            Counters.PeakFlows = Math.Max(Counters.PeakFlows, _flows.Count);
        }
    }

    /// <summary>Ends flows idle past their timeout at capture time <paramref name="now"/> (live capture calls this on a timer).</summary>
    public void Expire(long now)
    {
        ExpireList(_closed, now, timedOut: false);
        ExpireList(_tcp, now, timedOut: true);
        ExpireList(_udp, now, timedOut: true);
    }

    /// <summary>
    /// Moves capture time on to <paramref name="time"/> without a packet, ending flows idle past their
    /// timeout: live capture calls this when the wire is quiet. Earlier times are ignored.
    /// </summary>
    public void AdvanceTo(long time)
    {
        if (time > _now) AdvanceTime(time);
    }

    /// <summary>Ends every flow still held (end of capture), in order of first packet.</summary>
    public void Flush()
    {
        List<Flow> open = _flows.Values();
        open.Sort((a, b) => a.Id.CompareTo(b.Id));
        foreach (Flow flow in open) End(flow, timedOut: false);
    }

    private void AdvanceTime(long time)
    {
        if (time < _now)
        {
            Counters.TimeWentBackwards++;
            return;
        }
        _now = time;
        if (time < _nextExpiryCheck) return;
        _nextExpiryCheck = time + ExpiryCheckIntervalNs;
        Expire(time);
    }

    private Flow Create(FlowKey key, ref Packet p)
    {
        bool sourceIsClient;
        if (p.Protocol == IpProtocol.Tcp && (p.Flags & TcpFlags.Syn) != 0) sourceIsClient = (p.Flags & TcpFlags.Ack) == 0;
        else if (p.Protocol == IpProtocol.Tcp) sourceIsClient = ClientGuess.SourceIsClient(p.Source.Port, p.Destination.Port);
        // UDP: the first sender, unless it answers from a service port (a DNS reply whose query was not captured).
        else sourceIsClient = !(ClientGuess.IsServicePort(p.Source.Port) && !ClientGuess.IsServicePort(p.Destination.Port));
        (Endpoint client, Endpoint server) = sourceIsClient ? (p.Source, p.Destination) : (p.Destination, p.Source);
        var flow = new Flow(_nextId++, key, client, server, p.Time, Budget);
        if (p.Protocol == IpProtocol.Tcp) Counters.TcpFlows++;
        else Counters.UdpFlows++;
        (p.Protocol == IpProtocol.Tcp ? _tcp : _udp).Append(flow, _now);
        _listener.FlowStarted(flow);
        return flow;
    }

    private void Update(Flow flow, ref Packet p)
    {
        long idle = p.Time - flow.LastSeen;
        if (idle > flow.MaxIdleNs) flow.MaxIdleNs = idle;
        if (p.Time > flow.LastSeen) flow.LastSeen = p.Time;

        FlowSide from = p.Source == flow.Client ? FlowSide.Client : FlowSide.Server;
        if (p.Protocol == IpProtocol.Udp)
        {
            UpdateUdp(flow, from, ref p);
            return;
        }

        // A SYN from the side we took for the server: the capture's first packet misled us.
        if (from == FlowSide.Server && (p.Flags & (TcpFlags.Syn | TcpFlags.Ack)) == TcpFlags.Syn && !flow.ClientSide.SynSeen)
        {
            flow.FlipRoles();
            from = FlowSide.Client;
        }
        TcpTracker.Apply(flow, from, ref p);
        if (flow.List != _closed && flow.IsClosed) _closed.Append(flow, _now);
    }

    private static void UpdateUdp(Flow flow, FlowSide from, ref Packet p)
    {
        FlowSideState side = flow.SideOf(from);
        side.Packets++;
        side.DatagramBytes += p.PayloadLength;
        flow.History.Add('D', from == FlowSide.Client);
        if (p.PayloadLength > 0) flow.CountData(from);
        flow.Sink?.OnData(from, p.Payload, p.Time, p.Number);
    }

    /// <summary>A fresh SYN on a connection that already closed is a new connection reusing the ports.</summary>
    private static bool StartsNewConnection(Flow flow, ref Packet p)
    {
        if (p.Protocol != IpProtocol.Tcp || (p.Flags & (TcpFlags.Syn | TcpFlags.Ack)) != TcpFlags.Syn) return false;
        if (!flow.IsClosed) return false;
        FlowSideState client = flow.ClientSide;
        return !(p.Source == flow.Client && client.SynSeen && client.Isn == p.Sequence);
    }

    private void ExpireList(FlowList list, long now, bool timedOut)
    {
        while (list.Head is { } head && now - head.ListTime > list.TimeoutNs)
        {
            if (now - head.LastSeen <= list.TimeoutNs)
            {
                list.Append(head, now); // active since it was placed: look again one timeout from now
                continue;
            }
            if (timedOut) Counters.FlowsEndedByTimeout++;
            End(head, timedOut);
        }
    }

    private static bool IdleTooLong(Flow flow, long time) => time - flow.LastSeen > flow.ListTimeoutNs;

    private void EvictOldest(Flow keep)
    {
        Flow? victim = _closed.Head;
        foreach (FlowList list in (ReadOnlySpan<FlowList>)[_tcp, _udp])
        {
            Flow? head = IdleHead(list, keep);
            if (victim is null || (head is not null && head.LastSeen < victim.LastSeen)) victim = head;
        }
        if (victim is null) return;
        Counters.FlowsEvicted++;
        End(victim, timedOut: true);
    }

    /// <summary>
    /// The head of <paramref name="list"/> after giving busy flows a second chance: a head that was active
    /// since it was placed goes to the tail, as in the expiry scan, so a SYN flood pushes out its own
    /// half-open connections rather than the long-lived session that happened to start first.
    /// Each flow moves at most once per packet it received, so eviction stays cheap.
    /// </summary>
    private Flow? IdleHead(FlowList list, Flow keep)
    {
        Flow? head = list.Head;
        while (head is not null && (head == keep || head.LastSeen > head.ListTime))
        {
            if (head.Next is null) return head == keep ? null : head;
            list.Append(head, _now);
            head = list.Head;
        }
        return head;
    }

    private void End(Flow flow, bool timedOut, bool removeFromTable = true)
    {
        flow.List?.Remove(flow);
        if (removeFromTable) _flows.Remove(flow.Key);
        flow.ClientSide.Stream?.Finish(flow.Sink);
        flow.ServerSide.Stream?.Finish(flow.Sink);
        _listener.FlowEnded(flow, flow.ToRecord(timedOut));
    }
}
