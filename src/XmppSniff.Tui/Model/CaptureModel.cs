using XmppSniff.Core;

namespace XmppSniff.Tui.Model;

/// <summary>
/// Everything the UI shows, filled by anything: the file engine (`open`), a live capture, or a test.
/// One writer thread calls the <c>Add…</c>/<c>Flow…</c> methods; the UI thread reads snapshots on a
/// timer and never waits for the writer. <see cref="Version"/> changes whenever something was added.
/// </summary>
public sealed class CaptureModel(string title, ICaptureSource? source = null)
{
    private readonly Dictionary<long, int> _flowIndexById = [];
    private readonly Lock _flowIndexLock = new();
    private long _version;
    private long _firstTime = long.MaxValue;

    /// <summary>The file name or interface shown in the title bar.</summary>
    public string Title { get; } = title;

    public ICaptureSource? Source { get; } = source;

    public AppendList<FrameEntry> Frames { get; } = new();
    public AppendList<FlowRow> Flows { get; } = new();
    public AppendList<XmppElement> Stanzas { get; } = new();
    public AppendList<HttpTransaction> Http { get; } = new();

    /// <summary>Problems the source met (damaged file, dropped packets); shown on the Stats view.</summary>
    public AppendList<string> Warnings { get; } = new();

    /// <summary>The highest frame number the engine has placed in a flow: frames up to it are final.</summary>
    public long LastPacketNumber => Volatile.Read(ref _lastPacketNumber);
    private long _lastPacketNumber;

    public long Version => Interlocked.Read(ref _version);

    /// <summary>Time of the first frame: the zero of every relative time shown.</summary>
    public long FirstTime => Volatile.Read(ref _firstTime) == long.MaxValue ? 0 : Volatile.Read(ref _firstTime);

    /// <summary>Bytes read and to read, for the status bar's percent (0 when unknown, e.g. live).</summary>
    public long Position { get; set; }
    public long Length { get; set; }

    /// <summary>Set by the writer when the source is exhausted (a file fully read).</summary>
    public bool Done
    {
        get => Volatile.Read(ref _done);
        set { Volatile.Write(ref _done, value); Changed(); }
    }
    private bool _done;

    /// <summary>Set when the source failed; the UI shows it and keeps what was read.</summary>
    public string? Error { get; set; }

    /// <summary>Records one frame as read. Frames are numbered 1, 2, 3… in the order they are added.</summary>
    public void AddFrame(long time, long offset, int capturedLength, int wireLength, ushort linkType)
    {
        if (time < _firstTime) Volatile.Write(ref _firstTime, time);
        Frames.Add(new FrameEntry { Time = time, Offset = offset, CapturedLength = capturedLength, WireLength = wireLength, LinkType = linkType });
    }

    /// <summary>A flow began (its first packet is being processed).</summary>
    public void FlowStarted(long id, IpProtocol protocol, Endpoint client, Endpoint server, long start)
    {
        var row = new FlowRow(id, protocol, client, server, start) { LastSeen = start };
        lock (_flowIndexLock) _flowIndexById[id] = Flows.Count;
        Flows.Add(row);
        Changed();
    }

    /// <summary>The flow ended: its record replaces the live counters.</summary>
    public void FlowEnded(FlowRecord record)
    {
        if (FindFlow(record.Id) is { } row) row.Record = record;
        Changed();
    }

    /// <summary>
    /// Notes which flow frame <paramref name="number"/> went to, and counts it. Frames not added
    /// before (a source that does not call <see cref="AddFrame"/>) are added here.
    /// </summary>
    public void AddPacket(long number, long time, int flowId, bool fromLow, bool udp, TcpFlags flags, uint sequence, int payloadLength, int wireLength)
    {
        while (Frames.Count < number) AddFrame(time, -1, 0, wireLength, 0);
        int index = (int)(number - 1);
        ref FrameEntry frame = ref Frames[index];
        frame.FlowId = flowId;
        frame.FromLow = fromLow;
        frame.IsUdp = udp;
        frame.Flags = flags;
        frame.Sequence = sequence;
        frame.PayloadLength = payloadLength;
        Volatile.Write(ref _lastPacketNumber, number);
        if (FindFlow(flowId) is not { } row) return;
        if (row.FirstFrame < 0) row.FirstFrame = index;
        row.LastFrame = index;
        if (time > row.LastSeen) row.LastSeen = time;
        if (fromLow == row.ClientIsLow)
        {
            row.PacketsClientToServer++;
            row.BytesClientToServer += payloadLength;
        }
        else
        {
            row.PacketsServerToClient++;
            row.BytesServerToClient += payloadLength;
        }
    }

    /// <summary>Takes a record an analyzer emitted; the types the UI does not show are ignored.</summary>
    public void Add(object record)
    {
        switch (record)
        {
            case XmppElement element:
                Stanzas.Add(element);
                if (FindFlow(element.Flow) is { } flow && element.Kind == "stanza") flow.Stanzas++;
                break;
            case HttpTransaction transaction:
                Http.Add(transaction);
                if (FindFlow(transaction.Flow) is { } httpFlow) httpFlow.Requests++;
                break;
            default:
                return;
        }
        Changed();
    }

    public void Warn(string warning)
    {
        Warnings.Add(warning);
        Changed();
    }

    /// <summary>Tells the UI the counters moved (call every few thousand packets, not for each).</summary>
    public void Changed() => Interlocked.Increment(ref _version);

    public FlowRow? FindFlow(long id)
    {
        // Ids are dense and in order in every source we have: try the direct slot first.
        int guess = (int)(id - 1);
        if ((uint)guess < (uint)Flows.Count && Flows[guess].Id == id) return Flows[guess];
        lock (_flowIndexLock)
            return _flowIndexById.TryGetValue(id, out int index) && index < Flows.Count ? Flows[index] : null;
    }
}
