using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;
using XmppSniff.Core;
using XmppSniff.Running;
using XmppSniff.Tui.Model;

namespace XmppSniff.Explore;

/// <summary>
/// A capture file answering the UI's second questions: a frame's bytes (read again from the file,
/// forward from where the last read stopped, so paging down a list reads each frame once) and a
/// connection's reassembled stream (the engine run again over the file, stopping when the flow ends).
/// </summary>
internal sealed class FileCaptureSource(string path, FlowLimits limits) : ICaptureSource, IDisposable
{
    /// <summary>Most bytes Follow keeps: enough to read, not enough to exhaust memory on a bulk transfer.</summary>
    private const int MaxFollowBytes = 8 << 20;

    private readonly Lock _lock = new();
    private ICaptureReader? _reader;
    private long _nextNumber = long.MaxValue;

    public byte[]? ReadFrame(long number, in FrameEntry entry)
    {
        lock (_lock)
        {
            try
            {
                if (_reader is null || number < _nextNumber)
                {
                    _reader?.Dispose();
                    _reader = CaptureFile.Open(path);
                    _nextNumber = 1;
                }
                while (_reader.TryRead(out RawFrame frame))
                {
                    _nextNumber = frame.Number + 1;
                    if (frame.Number == number) return frame.Data.ToArray();
                    if (frame.Number > number) break;
                }
            }
            catch (CaptureFileException)
            {
                // The file changed or vanished since it was loaded: the page says the bytes are gone.
            }
            _reader?.Dispose();
            _reader = null;
            return null;
        }
    }

    public IReadOnlyList<StreamChunk> Follow(long flowId, CancellationToken cancel)
    {
        var collector = new FollowCollector(flowId);
        var run = new CaptureRun(path, limits) { ShowProgress = false };
        run.Run(collector, stop: () => collector.Done || cancel.IsCancellationRequested);
        cancel.ThrowIfCancellationRequested();
        return collector.Chunks;
    }

    public void Dispose()
    {
        lock (_lock) _reader?.Dispose();
    }

    private sealed class FollowCollector(long id) : IFlowListener, IStreamSink
    {
        private long _bytes;

        public List<StreamChunk> Chunks { get; } = [];

        public bool Done { get; private set; }

        public void FlowStarted(Flow flow)
        {
            if (flow.Id == id) flow.Sink = this;
        }

        public void FlowEnded(Flow flow, FlowRecord record)
        {
            if (flow.Id == id) Done = true;
        }

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame)
        {
            if (_bytes >= MaxFollowBytes) return;
            _bytes += data.Length;
            // Consecutive deliveries from one side read as one block, as in a terminal.
            if (Chunks.Count > 0 && Chunks[^1] is { GapLength: 0 } last && last.FromClient == (from == FlowSide.Client) && last.Data.Length < 64 * 1024)
                Chunks[^1] = last with { Data = [.. last.Data, .. data] };
            else Chunks.Add(new StreamChunk(from == FlowSide.Client, time, frame, data.ToArray()));
        }

        public void OnGap(FlowSide from, long length) => Chunks.Add(new StreamChunk(from == FlowSide.Client, 0, 0, [], length));
    }
}
