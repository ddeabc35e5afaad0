using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Capture;
using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Files;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Tls;

/// <summary>The reassembled chunks of one flow of a capture in captures/, in the order they were delivered.</summary>
internal static class CapturedTlsChunks
{
    public static string Capture(string name)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "captures"))) dir = Path.GetDirectoryName(dir);
        return Path.Combine(dir ?? throw new DirectoryNotFoundException("captures/"), "captures", name);
    }

    public static List<(FlowSide Side, byte[] Bytes)> Of(string capture, long flowId)
    {
        var recorder = new Recorder(flowId);
        using ICaptureReader reader = CaptureFile.Open(Capture(capture));
        var table = new FlowTable(recorder);
        var decoder = new FrameDecoder();
        while (reader.TryRead(out RawFrame frame))
            if (decoder.Decode(frame, out Packet packet) == DecodeStatus.Transport) table.Process(ref packet);
        table.Flush();
        return recorder.Chunks;
    }

    private sealed class Recorder(long id) : IFlowListener, IStreamSink
    {
        public readonly List<(FlowSide, byte[])> Chunks = [];

        public void FlowStarted(Flow flow)
        {
            if (flow.Id == id) flow.Sink = this;
        }

        public void FlowEnded(Flow flow, FlowRecord record)
        {
        }

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame) => Chunks.Add((from, data.ToArray()));

        public void OnGap(FlowSide from, long length) => throw new InvalidOperationException("the sample captures have no gaps");
    }
}
