using XmppSniff.Analysis.Flows;
using XmppSniff.Capture;
using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Files;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>The pipeline over one file: reader → decoder → flow table → listener.</summary>
internal sealed class CaptureRun(string path, FlowLimits limits)
{
    public DecodeCounters Decode { get; private set; } = new();

    public FlowCounters Flows { get; private set; } = new();

    public FlowTable? Table { get; private set; }

    public ICaptureReader? Reader { get; private set; }

    public long Bytes { get; private set; }

    public long FirstTime { get; private set; } = long.MaxValue;

    public long LastTime { get; private set; } = long.MinValue;

    private long[] _framesPerInterface = [];

    /// <summary>Frames per link type name, over all interfaces.</summary>
    public IEnumerable<(string Name, long Count)> LinkTypeCounts() =>
        _framesPerInterface
            .Select((count, i) => (Name: Reader!.Interfaces[i].LinkType.ToString(), Count: count))
            .Where(x => x.Count > 0)
            .GroupBy(x => x.Name)
            .Select(g => (g.Key, g.Sum(x => x.Count)));

    /// <summary>Reads the whole file (or until <paramref name="stop"/> says so) and flushes the flows still open.</summary>
    /// <exception cref="CaptureFileException">The file cannot be read as a capture.</exception>
    public void Run(IFlowListener listener, Func<bool>? stop = null)
    {
        using ICaptureReader reader = CaptureFile.Open(path);
        Reader = reader;
        var decoder = new FrameDecoder();
        var table = new FlowTable(listener, limits);
        Decode = decoder.Counters;
        Flows = table.Counters;
        Table = table;
        using var progress = Progress.ForFile(path, reader.Length);

        while (reader.TryRead(out RawFrame frame))
        {
            Bytes += frame.OriginalLength;
            CountInterface(frame.InterfaceId, reader.Interfaces.Count);
            if (frame.Time < FirstTime) FirstTime = frame.Time;
            if (frame.Time > LastTime) LastTime = frame.Time;
            if (decoder.Decode(frame, out Packet packet) == DecodeStatus.Transport) table.Process(ref packet);
            if ((frame.Number & 0xFFFF) == 0)
            {
                progress?.Report(reader.Position, frame.Number);
                if (stop?.Invoke() == true) break;
            }
        }
        table.Flush();
    }

    private void CountInterface(int id, int interfaces)
    {
        if ((uint)id >= (uint)_framesPerInterface.Length)
        {
            if ((uint)id >= (uint)interfaces) return;
            Array.Resize(ref _framesPerInterface, interfaces);
        }
        _framesPerInterface[id]++;
    }
}
