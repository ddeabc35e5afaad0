using System.Text;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Reassembly;

/// <summary>What a reassembler delivered, with each missed byte shown as '#'.</summary>
internal sealed class CollectingSink : IStreamSink
{
    public readonly List<byte> Bytes = [];
    public long Gaps;

    public string Text => Encoding.ASCII.GetString(Bytes.ToArray());

    public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame) => Bytes.AddRange(data.ToArray());

    public void OnGap(FlowSide from, long length)
    {
        Gaps += length;
        Bytes.AddRange(Enumerable.Repeat((byte)'#', (int)length));
    }
}
