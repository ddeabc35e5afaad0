using System.Buffers.Binary;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Running;
using XmppSniff.Tui.Model;

namespace XmppSniff.Explore;

/// <summary>
/// A capture file answering the UI's second questions: a frame's bytes (read again from the file,
/// forward from where the last read stopped, so paging down a list reads each frame once) and a
/// connection's reassembled stream (the engine run again over the file, stopping when the flow ends).
/// </summary>
internal sealed class FileCaptureSource(string path, FlowLimits limits, bool showSecrets = false) : ICaptureSource, IDisposable
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
            if (ReadPcapRecord(entry) is { } direct) return direct;
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

    private bool? _pcapBigEndian;
    private bool _pcapChecked;

    /// <summary>
    /// A classic pcap record read straight from its offset (16-byte header, then the bytes), so a frame
    /// near the end of a big file is one seek away. Null when the file is pcapng or the record does not
    /// look like the one indexed; the caller then reads forward.
    /// </summary>
    private byte[]? ReadPcapRecord(in FrameEntry entry)
    {
        if (entry.Offset < 0) return null;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (!_pcapChecked)
            {
                _pcapChecked = true;
                Span<byte> magic = stackalloc byte[4];
                file.ReadExactly(magic);
                uint little = BinaryPrimitives.ReadUInt32LittleEndian(magic);
                _pcapBigEndian = little switch
                {
                    0xA1B2C3D4 or 0xA1B23C4D => false,
                    0xD4C3B2A1 or 0x4D3CB2A1 => true,
                    _ => null,
                };
            }
            if (_pcapBigEndian is not { } bigEndian) return null;
            Span<byte> header = stackalloc byte[16];
            file.Position = entry.Offset;
            file.ReadExactly(header);
            uint included = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(header[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            if (included != (uint)entry.CapturedLength) return null;
            var data = new byte[included];
            file.ReadExactly(data);
            return data;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public IReadOnlyList<StreamChunk> Follow(long flowId, CancellationToken cancel)
    {
        var collector = new FollowCollector(flowId, showSecrets);
        var run = new CaptureRun(path, limits) { ShowProgress = false };
        run.Run(collector, stop: () => collector.Done || cancel.IsCancellationRequested);
        cancel.ThrowIfCancellationRequested();
        return collector.Chunks;
    }

    public void Dispose()
    {
        lock (_lock) _reader?.Dispose();
    }

    private sealed class FollowCollector(long id, bool showSecrets) : IFlowListener, IStreamSink
    {
        private readonly SecretMasker _client = new(), _server = new();
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
            if (!showSecrets)
            {
                // Credentials masked byte for byte, as `follow` does (the masker keeps state across chunks).
                byte[] masked = data.ToArray();
                (from == FlowSide.Client ? _client : _server).MaskInPlace(masked);
                data = masked;
            }
            // Consecutive deliveries from one side read as one block, as in a terminal.
            if (Chunks.Count > 0 && Chunks[^1] is { GapLength: 0 } last && last.FromClient == (from == FlowSide.Client) && last.Data.Length < 64 * 1024)
                Chunks[^1] = last with { Data = [.. last.Data, .. data] };
            else Chunks.Add(new StreamChunk(from == FlowSide.Client, time, frame, data.ToArray()));
        }

        public void OnGap(FlowSide from, long length) => Chunks.Add(new StreamChunk(from == FlowSide.Client, 0, 0, [], length));
    }
}
