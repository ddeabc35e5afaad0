using XmppSniff.Analysis.Buffers;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// After XEP-0138's &lt;compressed/&gt;: both sides' bytes are one zlib stream each, and inside it
/// each side opens a new XML stream. The inflated bytes are read like the connection's own.
/// </summary>
public sealed partial class XmppAnalyzer
{
    /// <summary>One direction's compressed stream: the inflater, and inflated bytes not read yet.</summary>
    internal sealed class Inflation
    {
        public readonly ZlibInflater Inflater = new();
        public readonly ByteQueue Held = new();
        public bool Started;
        public string? Failure;
    }

    /// <summary>The bytes of a direction as XML: inflated first when that direction is compressed.</summary>
    private int ConsumePlaintext(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
    {
        XmppDirection d = Dir(from);
        if (d.Inflating is { } compressed) return Inflate(from, compressed, data, at);
        int consumed = ConsumeXml(from, data, at);
        // Compression starts right after <compressed/>, maybe in the same offer.
        if (d.Inflating is { } started && consumed < data.Length) consumed += Inflate(from, started, data[consumed..], at);
        return consumed;
    }

    private int Inflate(FlowSide from, Inflation z, ReadOnlySpan<byte> data, StreamPosition at)
    {
        if (z.Failure is not null) return data.Length;
        if (!z.Started)
        {
            RestartStream(from);
            z.Started = true;
        }
        try
        {
            z.Inflater.Inflate(data, piece => ReadInflated(from, z, piece.Span, at));
        }
        catch (InvalidDataException e)
        {
            StopInflating(from, z, at, "the compressed stream is not valid zlib (" + e.Message + ")");
        }
        _learned["compressed_bytes"] = Dir(FlowSide.Client).Inflating?.Inflater.In + Dir(FlowSide.Server).Inflating?.Inflater.In;
        _learned["inflated_bytes"] = Dir(FlowSide.Client).Inflating?.Inflater.Out + Dir(FlowSide.Server).Inflating?.Inflater.Out;
        return data.Length;
    }

    /// <summary>As the host does for a connection's bytes: what the reader did not take waits for more (bounded).</summary>
    private void ReadInflated(FlowSide from, Inflation z, ReadOnlySpan<byte> plain, StreamPosition at)
    {
        if (z.Held.Length == 0)
        {
            int used = ConsumeXml(from, plain, at);
            if (used < plain.Length) z.Held.Append(plain[used..]);
        }
        else
        {
            z.Held.Append(plain);
            z.Held.Consume(ConsumeXml(from, z.Held.Span, at));
        }
        if (z.Held.Length > Detection.AnalyzerHost.MaxHeldBytes)
        {
            long dropped = z.Held.Length;
            z.Held.Clear();
            XmlGap(from, dropped);
        }
    }

    /// <summary>A zlib stream cannot be read past lost or bad bytes: the rest of that direction is skipped, said once.</summary>
    private void StopInflating(FlowSide from, Inflation z, StreamPosition at, string why)
    {
        z.Failure = why;
        z.Held.Clear();
        Note(from, at, at.Frame, "compression", "compressed stream not read further: " + why, 0, null);
    }
}
