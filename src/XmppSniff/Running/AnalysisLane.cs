using System.Runtime.ExceptionServices;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Capture.Files;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// Runs a flow listener and the stream sinks it attaches (the protocol analyzers) on threads of
/// their own, so tracking flows and analysing their bytes use more than one core. The flow table's
/// calls are recorded in order (delivered bytes copied, or pointed to where the reader keeps them in
/// the mapped file, which it then gives back only once they are replayed) and replayed in that order:
/// the listener sees exactly the calls of a single-threaded run, only later.
/// <see cref="IFlowListener.FlowStarted"/> still runs on the caller's thread, since the sinks it
/// attaches must be in place before the flow's first packet is tracked.
/// With more than one thread (an <see cref="IParallelFlowListener"/> only), each flow is analysed on
/// the thread its client address picks, so one client's connections share a thread (and the state
/// one thread's flows share, such as BOSH sessions). What the threads emit and hand on is held per
/// batch of calls and released, by the thread that finishes the batch last, in the order of the
/// calls that produced it: the output is that of one thread, handed on by one thread at a time.
/// One difference remains: an analyzer reads the flow's client and server when it starts, and the
/// flow table swaps them when a SYN comes from the side it took for the server; if that happens
/// after bytes were delivered but before the lane replayed them, the analyzer sees the new roles.
/// (Output of all 543 nDPI suite captures and 68 shipped and real ones is the same with and without the lane.)
/// </summary>
internal sealed class AnalysisLane : IFlowListener, IDisposable
{
    private const int BatchesInFlight = 4;

    private readonly IFlowListener _inner;
    private readonly ICaptureReader? _source;
    private readonly KeptBytes _kept;
    private readonly IParallelFlowListener? _parallel;
    private readonly Lane[] _lanes;
    private readonly Handoff<LaneBatch> _free = new(BatchesInFlight);
    private LaneBatch _batch;
    private volatile ExceptionDispatchInfo? _failure;
    private bool _completed;
    private int _batchesOut; // handed out to the lanes and not yet recycled

    /// <param name="source">The reader the flows' bytes come from: bytes it keeps are pointed to, not copied.</param>
    public AnalysisLane(IFlowListener inner, int threads = 1, ICaptureReader? source = null)
    {
        _inner = inner;
        _source = source;
        _kept = source?.Kept ?? default;
        _parallel = threads > 1 ? inner as IParallelFlowListener : null;
        if (_parallel is null) threads = 1;
        _lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) _lanes[i] = new Lane(this, i);
        for (int i = 1; i < BatchesInFlight; i++) _free.Add(new LaneBatch(threads));
        _batch = new LaneBatch(threads);
        foreach (Lane lane in _lanes) lane.Start();
    }

    public void FlowStarted(Flow flow)
    {
        _inner.FlowStarted(flow);
        if (flow.Sink is not { } sink) return;
        Lane lane = _lanes[LaneOf(flow.Client.Address)];
        if (_parallel is not null && flow.Output == _parallel.Output) flow.Output = lane.Output!;
        flow.Sink = new DeferredSink(this, sink, lane.Index);
    }

    public void FlowEnded(Flow flow, FlowRecord record)
    {
        (IStreamSink? sink, int lane) = flow.Sink is DeferredSink deferred ? (deferred.Target, deferred.Lane) : (flow.Sink, 0);
        Add(new Step { Kind = StepKind.End, Lane = lane, Flow = flow, Sink = sink, Record = record }, []);
    }

    /// <summary>
    /// The flow table is done with the packets before file position <paramref name="position"/>: once the calls
    /// recorded so far are replayed, the reader may give back what it kept before it.
    /// </summary>
    public void Passed(long position)
    {
        if (_batch.IsEmpty && Volatile.Read(ref _batchesOut) == 0) _source?.ConsumedBefore(position);
        else _batch.Horizon = position;
    }

    /// <summary>Waits until every recorded call has been replayed; rethrows what the listener or a sink threw.</summary>
    public void Complete()
    {
        if (!_completed)
        {
            _completed = true;
            HandOut(_batch);
            Stop();
        }
        _failure?.Throw();
    }

    /// <summary>Stops the lane without waiting for its work to matter (the run failed).</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            Stop();
        }
    }

    private void Stop()
    {
        foreach (Lane lane in _lanes) lane.Batches.CompleteAdding();
        foreach (Lane lane in _lanes) lane.Join();
    }

    /// <summary>A well-mixed pick from the address, the same in every run.</summary>
    private int LaneOf(Address client) =>
        _lanes.Length == 1 ? 0 : (int)(((uint)client.GetHashCode() * 0x9E3779B1u >> 16) % (uint)_lanes.Length);

    private void Add(in Step step, ReadOnlySpan<byte> data)
    {
        bool kept = !data.IsEmpty && _kept.Contain(data);
        if (_batch.IsFull(data.Length))
        {
            _failure?.Throw();
            HandOut(_batch);
            _batch = _free.Take();
        }
        _batch.Add(step, data, kept);
    }

    private void HandOut(LaneBatch batch)
    {
        Interlocked.Increment(ref _batchesOut);
        foreach (Lane lane in _lanes) lane.Batches.Add(batch);
    }

    /// <summary>Every lane is done with <paramref name="batch"/> (batches come back in order): the reader may give back what it kept for it.</summary>
    private void Recycle(LaneBatch batch)
    {
        if (batch.Horizon != 0) _source?.ConsumedBefore(batch.Horizon);
        batch.Clear();
        Interlocked.Decrement(ref _batchesOut);
        _free.Add(batch);
    }

    private void Fail(Exception e) => _failure ??= ExceptionDispatchInfo.Capture(e);

    /// <summary>
    /// One analysing thread: replays the calls of its flows from each batch. The last lane to finish
    /// a batch releases what they all held back, in order, and recycles the batch.
    /// </summary>
    private sealed class Lane
    {
        private readonly AnalysisLane _owner;
        private readonly Thread _thread;

        public Lane(AnalysisLane owner, int index)
        {
            _owner = owner;
            Index = index;
            if (owner._parallel is { } parallel) Output = parallel.Output.ForThread(record => Batch!.Hold(Index, Step, record, null));
            _thread = new Thread(Run) { Name = "xmppsniff analysis", IsBackground = true };
        }

        public int Index { get; }

        public Handoff<LaneBatch> Batches { get; } = new(BatchesInFlight);

        /// <summary>What this lane's flows emit through (null with one lane: they emit directly).</summary>
        public AnalyzerOutput? Output { get; }

        /// <summary>The batch and step being replayed: where what is emitted now is held.</summary>
        public LaneBatch? Batch { get; private set; }

        public int Step { get; set; }

        public void Start() => _thread.Start();

        public void Join() => _thread.Join();

        private void Run()
        {
            foreach (LaneBatch batch in Batches.GetConsumingEnumerable())
            {
                Batch = batch;
                if (_owner._failure is null)
                {
                    try
                    {
                        batch.Replay(this, _owner._inner, _owner._parallel);
                    }
                    catch (Exception e)
                    {
                        _owner.Fail(e);
                    }
                }
                Batch = null;
                // The last lane to finish a batch releases it. Lanes take batches in order, so that lane
                // finished releasing the one before it (or saw it released): releases follow one another, in order.
                if (!batch.LaneDone()) continue;
                if (_owner._failure is null && _owner._parallel is { } parallel)
                {
                    try
                    {
                        batch.Release(parallel);
                    }
                    catch (Exception e)
                    {
                        _owner.Fail(e);
                    }
                }
                _owner.Recycle(batch);
            }
        }
    }

    private enum StepKind : byte { Data, Gap, End }

    private struct Step
    {
        public StepKind Kind;
        public FlowSide Side;
        public int Lane;
        public IStreamSink? Sink;
        public Flow? Flow;
        public FlowRecord? Record;
        public long Time;
        public long Frame;
        public long Length;
        public int Offset;

        /// <summary>Where the bytes are when they were pointed to, not copied (see <see cref="BatchBytes.Get"/>).</summary>
        public nint Address;
    }

    /// <summary>
    /// Something a lane's flows produced while replaying step <see cref="Step"/>: a record an analyzer
    /// emitted, or (with <see cref="Flow"/>) a finished flow record to hand on.
    /// </summary>
    private readonly record struct Held(int Step, object Item, Flow? Flow);

    /// <summary>The recorded calls of one stretch of packets, with the bytes they delivered.</summary>
    private sealed class LaneBatch
    {
        private const int Capacity = 4096;
        private readonly Step[] _steps = new Step[Capacity];
        private readonly List<Held>[] _held;
        private readonly BatchBytes _bytes = new(1 << 20);
        private int _count;
        private int _lanesLeft;

        public LaneBatch(int lanes)
        {
            _held = new List<Held>[lanes];
            for (int i = 0; i < lanes; i++) _held[i] = [];
            _lanesLeft = lanes;
        }

        /// <summary>The file position the flow table had passed when this batch was handed out (0: none).</summary>
        public long Horizon { get; set; }

        public bool IsEmpty => _count == 0;

        public bool IsFull(int length) => _count == Capacity || (_bytes.WouldOverflow(length) && _count > 0);

        /// <param name="kept">The reader keeps the bytes where they are (see <see cref="BatchBytes"/>).</param>
        public void Add(Step step, ReadOnlySpan<byte> data, bool kept)
        {
            (step.Address, step.Offset) = _bytes.Add(data, kept);
            _steps[_count++] = step;
        }

        /// <summary>Replays the steps of <paramref name="lane"/>'s flows.</summary>
        public void Replay(Lane lane, IFlowListener listener, IParallelFlowListener? parallel)
        {
            for (int i = 0; i < _count; i++)
            {
                ref Step s = ref _steps[i];
                if (s.Lane != lane.Index) continue;
                lane.Step = i;
                switch (s.Kind)
                {
                    case StepKind.Data:
                        s.Sink!.OnData(s.Side, _bytes.Get(s.Address, s.Offset, (int)s.Length), s.Time, s.Frame);
                        break;
                    case StepKind.Gap:
                        s.Sink!.OnGap(s.Side, s.Length);
                        break;
                    default:
                        // The flow table is done with this flow: give it back the sink its listener attached.
                        s.Flow!.Sink = s.Sink;
                        if (parallel is null) listener.FlowEnded(s.Flow, s.Record!);
                        else Hold(lane.Index, i, parallel.Finish(s.Flow, s.Record!), s.Flow);
                        break;
                }
            }
        }

        public void Hold(int lane, int step, object item, Flow? flow) => _held[lane].Add(new Held(step, item, flow));

        /// <summary>One lane is done with the batch; true for the last one.</summary>
        public bool LaneDone() => Interlocked.Decrement(ref _lanesLeft) == 0;

        /// <summary>Hands on what every lane held back, in the order of the steps that produced it.</summary>
        public void Release(IParallelFlowListener listener)
        {
            Span<int> next = stackalloc int[_held.Length];
            while (true)
            {
                int lane = -1;
                for (int i = 0; i < _held.Length; i++)
                    if (next[i] < _held[i].Count && (lane < 0 || _held[i][next[i]].Step < _held[lane][next[lane]].Step)) lane = i;
                if (lane < 0) return;
                Held held = _held[lane][next[lane]++];
                if (held.Flow is null) listener.Output.Emit(held.Item);
                else listener.HandOn(held.Flow, (FlowRecord)held.Item);
            }
        }

        public void Clear()
        {
            Array.Clear(_steps, 0, _count);
            _count = 0;
            _bytes.Clear();
            foreach (List<Held> held in _held) held.Clear();
            _lanesLeft = _held.Length;
            Horizon = 0;
        }
    }

    /// <summary>Stands in for a flow's sink on the flow table's thread: records each call for the flow's lane.</summary>
    private sealed class DeferredSink(AnalysisLane owner, IStreamSink target, int lane) : IStreamSink
    {
        public IStreamSink Target => target;

        public int Lane => lane;

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame) =>
            owner.Add(new Step { Kind = StepKind.Data, Lane = lane, Sink = target, Side = from, Time = time, Frame = frame, Length = data.Length }, data);

        public void OnGap(FlowSide from, long length) =>
            owner.Add(new Step { Kind = StepKind.Gap, Lane = lane, Sink = target, Side = from, Length = length }, []);
    }
}
