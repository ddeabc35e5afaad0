using System.Runtime.ExceptionServices;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// Runs a flow listener and the stream sinks it attaches (the protocol analyzers) on a thread of
/// their own, so tracking flows and analysing their bytes use two cores. The flow table's calls are
/// recorded in order (delivered bytes copied) and replayed in that order on the lane's thread: the
/// listener sees exactly the calls of a single-threaded run, only later.
/// <see cref="IFlowListener.FlowStarted"/> still runs on the caller's thread, since the sinks it
/// attaches must be in place before the flow's first packet is tracked.
/// One difference remains: an analyzer reads the flow's client and server when it starts, and the
/// flow table swaps them when a SYN comes from the side it took for the server; if that happens
/// after bytes were delivered but before the lane replayed them, the analyzer sees the new roles.
/// (Output of all 543 nDPI suite captures and 68 shipped and real ones is the same with and without the lane.)
/// </summary>
internal sealed class AnalysisLane : IFlowListener, IDisposable
{
    private const int BatchesInFlight = 4;

    private readonly IFlowListener _inner;
    private readonly Handoff<LaneBatch> _free = new(BatchesInFlight);
    private readonly Handoff<LaneBatch> _full = new(BatchesInFlight);
    private readonly Thread _thread;
    private LaneBatch _batch;
    private volatile ExceptionDispatchInfo? _failure;
    private bool _completed;

    public AnalysisLane(IFlowListener inner)
    {
        _inner = inner;
        for (int i = 1; i < BatchesInFlight; i++) _free.Add(new LaneBatch());
        _batch = new LaneBatch();
        _thread = new Thread(Replay) { Name = "xmppsniff analysis", IsBackground = true };
        _thread.Start();
    }

    public void FlowStarted(Flow flow)
    {
        _inner.FlowStarted(flow);
        if (flow.Sink is { } sink) flow.Sink = new DeferredSink(this, sink);
    }

    public void FlowEnded(Flow flow, FlowRecord record)
    {
        IStreamSink? sink = flow.Sink is DeferredSink deferred ? deferred.Target : flow.Sink;
        Add(new Step { Kind = StepKind.End, Flow = flow, Sink = sink, Record = record }, []);
    }

    /// <summary>Waits until every recorded call has been replayed; rethrows what the listener or a sink threw.</summary>
    public void Complete()
    {
        if (!_completed)
        {
            _completed = true;
            _full.Add(_batch);
            _full.CompleteAdding();
            _thread.Join();
        }
        _failure?.Throw();
    }

    /// <summary>Stops the lane without waiting for its work to matter (the run failed).</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _full.CompleteAdding();
            _thread.Join();
        }
    }

    private void Add(in Step step, ReadOnlySpan<byte> data)
    {
        if (_batch.IsFull(data.Length))
        {
            _failure?.Throw();
            _full.Add(_batch);
            _batch = _free.Take();
        }
        _batch.Add(step, data);
    }

    private void Replay()
    {
        foreach (LaneBatch batch in _full.GetConsumingEnumerable())
        {
            if (_failure is null)
            {
                try
                {
                    batch.Replay(_inner);
                }
                catch (Exception e)
                {
                    _failure = ExceptionDispatchInfo.Capture(e);
                }
            }
            batch.Clear();
            _free.Add(batch);
        }
    }

    private enum StepKind : byte { Data, Gap, End }

    private struct Step
    {
        public StepKind Kind;
        public FlowSide Side;
        public IStreamSink? Sink;
        public Flow? Flow;
        public FlowRecord? Record;
        public long Time;
        public long Frame;
        public long Length;
        public int Offset;
    }

    /// <summary>The recorded calls of one stretch of packets, with the bytes they delivered.</summary>
    private sealed class LaneBatch
    {
        private const int Capacity = 4096;
        private const int StartBytes = 1 << 20;

        private readonly Step[] _steps = new Step[Capacity];
        private byte[] _bytes = new byte[StartBytes];
        private int _count;
        private int _byteCount;

        public bool IsFull(int length) => _count == Capacity || (_byteCount + length > _bytes.Length && _count > 0);

        public void Add(Step step, ReadOnlySpan<byte> data)
        {
            if (_byteCount + data.Length > _bytes.Length) Array.Resize(ref _bytes, _byteCount + data.Length);
            data.CopyTo(_bytes.AsSpan(_byteCount));
            step.Offset = _byteCount;
            _byteCount += data.Length;
            _steps[_count++] = step;
        }

        public void Replay(IFlowListener listener)
        {
            for (int i = 0; i < _count; i++)
            {
                ref Step s = ref _steps[i];
                switch (s.Kind)
                {
                    case StepKind.Data:
                        s.Sink!.OnData(s.Side, _bytes.AsSpan(s.Offset, (int)s.Length), s.Time, s.Frame);
                        break;
                    case StepKind.Gap:
                        s.Sink!.OnGap(s.Side, s.Length);
                        break;
                    default:
                        // The flow table is done with this flow: give it back the sink its listener attached.
                        s.Flow!.Sink = s.Sink;
                        listener.FlowEnded(s.Flow, s.Record!);
                        break;
                }
            }
        }

        public void Clear()
        {
            Array.Clear(_steps, 0, _count);
            _count = 0;
            _byteCount = 0;
            // A large delivery (a filled hole releasing megabytes) grew the buffer: give that memory back.
            if (_bytes.Length > 4 * StartBytes) _bytes = new byte[StartBytes];
        }
    }

    /// <summary>Stands in for a flow's sink on the flow table's thread: records each call for the lane.</summary>
    private sealed class DeferredSink(AnalysisLane lane, IStreamSink target) : IStreamSink
    {
        public IStreamSink Target => target;

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame) =>
            lane.Add(new Step { Kind = StepKind.Data, Sink = target, Side = from, Time = time, Frame = frame, Length = data.Length }, data);

        public void OnGap(FlowSide from, long length) =>
            lane.Add(new Step { Kind = StepKind.Gap, Sink = target, Side = from, Length = length }, []);
    }
}
