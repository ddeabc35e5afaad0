using XmppSniff.Core;

namespace XmppSniff.Analysis.Reassembly;

/// <summary>Receives the ordered bytes of one direction of a TCP connection.</summary>
public interface IStreamSink
{
    /// <summary>New bytes, in order, each byte once. The span is valid only during the call.</summary>
    void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame);

    /// <summary>Bytes that were sent but never captured; the stream resumes after them.</summary>
    void OnGap(FlowSide from, long length);
}
