using System.Diagnostics;
using System.Runtime.ExceptionServices;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Capture;
using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Files;
using XmppSniff.Capture.Live;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// The pipeline over one packet source (a file, or a live interface): reader → decoder on one
/// thread, flow table → listener on the calling thread, joined by a small ring of packet batches.
/// One consumer, in read order, so the output is the same as a single-threaded run. A live source
/// also sends a batch when the wire is quiet, carrying the time, so idle flows end without packets.
/// </summary>
internal sealed class CaptureRun(Func<ICaptureReader> open, FlowLimits limits)
{
    private const int BatchesInFlight = 6;

    /// <summary>A live batch is handed on at least this often, so records appear while packets trickle in.</summary>
    private static readonly TimeSpan LiveBatchAge = TimeSpan.FromMilliseconds(100);

    public CaptureRun(string path, FlowLimits limits) : this(() => CaptureFile.Open(path), limits)
    {
    }

    /// <summary>Sees every frame as it is read, before decoding, on the reading thread (live capture's `-w` copy).</summary>
    public IFrameTap? Tap { get; init; }

    /// <summary>Called on the analysing thread after each batch (live output flushes here).</summary>
    public Action? BatchDone { get; init; }

    public DecodeCounters Decode { get; private set; } = new();

    public FlowCounters Flows { get; private set; } = new();

    public FlowTable? Table { get; private set; }

    public ICaptureReader? Reader { get; private set; }

    public long Bytes { get; private set; }

    public long FirstTime { get; private set; } = long.MaxValue;

    public long LastTime { get; private set; } = long.MinValue;

    /// <summary>Sees every frame as read and every packet after the flow table took it (the TUI's frame index); null for the plain commands.</summary>
    public IPacketObserver? Observer { get; init; }

    /// <summary>Asked for each live frame: true discards it unseen (the TUI's pause; reading goes on so the kernel does not drop).</summary>
    public Func<bool>? Paused { get; init; }

    /// <summary>Live frames discarded because <see cref="Paused"/> said so.</summary>
    public long PausedFrames => Interlocked.Read(ref _pausedFrames);
    private long _pausedFrames;

    /// <summary>Whether to draw the progress line on a terminal's stderr (not under a full-screen UI).</summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>
    /// Runs the listener and its analyzers on this many threads of their own (see <see cref="AnalysisLane"/>;
    /// 0: on the calling thread): for runs that only read the listener's results once <see cref="Run"/>
    /// returns, not with <see cref="Observer"/> or <see cref="BatchDone"/>, which look at analysis state
    /// between batches. More than one only for an <see cref="IParallelFlowListener"/>.
    /// </summary>
    public int AnalysisThreads { get; init; }

    /// <summary>Analysing threads for a run on this machine: one per core, at most four (the reading and tracking threads need time too).</summary>
    public static int DefaultAnalysisThreads => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Frames to read at most (0: all): a file command's `-c`.</summary>
    public long MaxFrames { get; init; }

    /// <summary>Where a pcapng's Decryption Secrets Blocks go as the reader meets them (before the packets they are for).</summary>
    public TlsKeyLog? TlsKeys { get; init; }

    private long[] _framesPerInterface = [];
    private KeptBytes _kept;
    private volatile bool _stopRequested;

    /// <summary>Frames per link type name, over all interfaces.</summary>
    public IEnumerable<(string Name, long Count)> LinkTypeCounts() =>
        _framesPerInterface
            .Select((count, i) => (Name: Reader!.Interfaces[i].LinkType.ToString(), Count: count))
            .Where(x => x.Count > 0)
            .GroupBy(x => x.Name)
            .Select(g => (g.Key, g.Sum(x => x.Count)));

    /// <summary>Reads the whole source (or until <paramref name="stop"/> says so) and flushes the flows still open.</summary>
    /// <exception cref="CaptureFileException">The file cannot be read as a capture.</exception>
    /// <exception cref="LiveCaptureException">The interface cannot be captured on, or failed during capture.</exception>
    public void Run(IFlowListener listener, Func<bool>? stop = null)
    {
        using ICaptureReader reader = open();
        Reader = reader;
        HeapWarmUp.For(reader.Length);
        _kept = reader.Kept; // for the reading thread and any kind of source: live capture keeps nothing
        // Analyzers may read the file again rather than hold its bytes (not through the shared output that drops everything).
        if (listener is IParallelFlowListener parallel && parallel.Output != AnalyzerOutput.None) parallel.Output.Rereadable = reader.Rereadable;
        using AnalysisLane? lane = AnalysisThreads > 0 ? new AnalysisLane(listener, AnalysisThreads, reader) : null;
        var table = new FlowTable(lane ?? listener, limits);
        Flows = table.Counters;
        Table = table;

        // Payloads the reader keeps are pointed to, not copied: it may give back only what the batches are done with.
        reader.ConsumedBefore(0);
        var free = new Handoff<PacketBatch>(BatchesInFlight);
        var full = new Handoff<PacketBatch>(BatchesInFlight);
        for (int i = 0; i < BatchesInFlight; i++) free.Add(new PacketBatch());
        // Read once: the reading thread writes its counts next to it in this object, and a read per packet
        // would pull that cache line across cores each time.
        IPacketObserver? observer = Observer;
        Task producer = Task.Factory.StartNew(() => Produce(reader, free, full), TaskCreationOptions.LongRunning);

        foreach (PacketBatch batch in full.GetConsumingEnumerable())
        {
            if (!_stopRequested)
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    batch.Get(i, out Packet packet);
                    table.Process(ref packet);
                    observer?.OnPacket(ref packet);
                }
                if (batch.Clock != 0) table.AdvanceTo(batch.Clock);
                if (batch.End != 0)
                {
                    if (lane is null) reader.ConsumedBefore(batch.End);
                    else lane.Passed(batch.End);
                }
                if (stop?.Invoke() == true) _stopRequested = true;
                BatchDone?.Invoke();
            }
            batch.Clear();
            free.Add(batch);
        }
        // A live interface that fails mid-capture still ends the flows it saw, then reports.
        Exception? failure = null;
        try
        {
            producer.Wait();
        }
        catch (AggregateException e)
        {
            failure = e.InnerException;
        }
        table.Flush();
        lane?.Complete();
        BatchDone?.Invoke();
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>The reading thread: frames in, decoded TCP/UDP packets out in batches; counts what it saw.</summary>
    private void Produce(ICaptureReader reader, Handoff<PacketBatch> free, Handoff<PacketBatch> full)
    {
        if (reader is LiveCapture live)
        {
            ProduceLive(live, free, full);
            return;
        }
        try
        {
            var decoder = new FrameDecoder();
            Decode = decoder.Counters;
            using Progress? progress = reader.Length > 0 && ShowProgress ? Progress.OnTerminal() : null;
            IPacketObserver? observer = Observer;
            PacketBatch batch = free.Take();
            var secrets = TlsKeys is null ? null : reader as PcapNgReader;
            int secretsRead = 0;
            long offset = reader.Position;
            batch.Start = offset;
            long left = MaxFrames > 0 ? MaxFrames : long.MaxValue;
            while (!_stopRequested && left-- > 0 && reader.TryRead(out RawFrame frame))
            {
                observer?.OnFrame(in frame, offset, reader.Position, reader.Length);
                long frameStart = offset;
                offset = reader.Position;
                if (secrets is not null && secrets.DecryptionSecrets.Count != secretsRead) secretsRead = AddSecrets(secrets, secretsRead);
                Take(in frame, frameStart, decoder, ref batch, free, full);
                batch.End = offset;
                if (batch.End - batch.Start > PacketBatch.MaxFileBytes)
                {
                    // Even without packets to carry (ARP, say): the reader may only give back what batches are done with.
                    full.Add(batch);
                    batch = free.Take();
                    batch.Start = batch.End = offset;
                }
                if ((frame.Number & 0xFFFF) == 0) progress?.Show($"{100.0 * reader.Position / reader.Length,5:0.0}%  {frame.Number:N0} packets");
            }
            full.Add(batch);
        }
        finally
        {
            full.CompleteAdding();
        }
    }

    /// <summary>
    /// The reading thread of a live capture: as <see cref="Produce"/>, but a batch also goes when it
    /// is <see cref="LiveBatchAge"/> old, and when the wire is quiet, carrying the wall-clock time.
    /// </summary>
    private void ProduceLive(LiveCapture live, Handoff<PacketBatch> free, Handoff<PacketBatch> full)
    {
        try
        {
            var decoder = new FrameDecoder();
            Decode = decoder.Counters;
            PacketBatch batch = free.Take();
            var age = Stopwatch.StartNew();
            while (!_stopRequested)
            {
                LiveRead read = live.Read(out RawFrame frame);
                if (read == LiveRead.End) break;
                if (read == LiveRead.Frame && Paused?.Invoke() == true)
                {
                    Interlocked.Increment(ref _pausedFrames);
                    if (age.Elapsed < LiveBatchAge) continue;
                }
                else if (read == LiveRead.Frame)
                {
                    Tap?.Frame(in frame);
                    Observer?.OnFrame(in frame, -1, 0, 0);
                    if (Take(in frame, 0, decoder, ref batch, free, full)) age.Restart();
                    if (age.Elapsed < LiveBatchAge) continue;
                }
                else
                {
                    Tap?.Idle();
                    // Nothing is waiting in the kernel: time has reached now. Less a read's wait, so a
                    // packet stamped just before this moment is not behind the clock.
                    long quiet = LiveCapture.Clock - (long)LiveBatchAge.TotalNanoseconds;
                    batch.Clock = Math.Max(quiet, LastTime == long.MinValue ? 0 : LastTime);
                }
                full.Add(batch);
                batch = free.Take();
                age.Restart();
            }
            full.Add(batch);
        }
        finally
        {
            Tap?.Idle();
            full.CompleteAdding();
        }
    }

    /// <summary>Counts a frame and adds its TCP/UDP packet to the batch; true when a full batch was handed on for it.</summary>
    /// <param name="frameStart">Where the frame starts in the file (0 live): where a batch begun for it starts.</param>
    private bool Take(in RawFrame frame, long frameStart, FrameDecoder decoder, ref PacketBatch batch,
        Handoff<PacketBatch> free, Handoff<PacketBatch> full)
    {
        Bytes += frame.OriginalLength;
        CountInterface(frame.InterfaceId);
        if (frame.Time < FirstTime) FirstTime = frame.Time;
        if (frame.Time > LastTime) LastTime = frame.Time;
        if (decoder.Decode(frame, out Packet packet) != DecodeStatus.Transport) return false;
        // Here, not on the flow table's thread: the bytes are in this thread's cache, and it has time to spare.
        if (packet.Protocol == IpProtocol.Tcp && !packet.Payload.IsEmpty) packet.PayloadFingerprint = SegmentFingerprint.Of(packet.Payload);
        bool kept = _kept.Contain(packet.Payload);
        bool handedOn = batch.IsFull(packet.Payload.Length);
        if (handedOn)
        {
            full.Add(batch);
            batch = free.Take();
            batch.Start = frameStart;
        }
        batch.Add(ref packet, kept);
        return handedOn;
    }

    /// <summary>TLS key log secrets (type 'TLSK') from the DSBs read since <paramref name="from"/>; returns how many DSBs are done.</summary>
    private int AddSecrets(PcapNgReader reader, int from)
    {
        const uint TlsKeyLogType = 0x544c534b;
        for (int i = from; i < reader.DecryptionSecrets.Count; i++)
            if (reader.DecryptionSecrets[i].Type == TlsKeyLogType) TlsKeys!.Add(reader.DecryptionSecrets[i].Data);
        return reader.DecryptionSecrets.Count;
    }

    private void CountInterface(int id)
    {
        if ((uint)id >= (uint)_framesPerInterface.Length)
        {
            // Asked only here, not per frame: interfaces are few, and a pcapng may describe more as it goes.
            int interfaces = Reader!.Interfaces.Count;
            if ((uint)id >= (uint)interfaces) return;
            Array.Resize(ref _framesPerInterface, interfaces);
        }
        _framesPerInterface[id]++;
    }
}
