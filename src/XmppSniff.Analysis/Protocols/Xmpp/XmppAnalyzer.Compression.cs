using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// After XEP-0138's &lt;compressed/&gt;: both sides' bytes are one zlib stream each, and inside it
/// each side opens a new XML stream. The inflated bytes are read like the connection's own.
/// </summary>
public sealed partial class XmppAnalyzer
{
    /// <summary>One direction's compressed stream: the inflater, and inflated bytes not read yet.</summary>
    internal sealed class Inflation(ElementCopyPool? copies)
    {
        public readonly ZlibInflater Inflater = new();
        public readonly HeldBytes Held = new(copies);
        public bool Started;
        public string? Failure;
    }

    /// <summary>The bytes of a direction as XML: inflated first when that direction is compressed.</summary>
    private int ConsumePlaintext(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at, HeldBytes? source)
    {
        XmppDirection d = Dir(from);
        if (d.Inflating is { } compressed) return Inflate(from, compressed, data, at);
        int consumed = ConsumeXml(from, data, at, source);
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
            z.Inflater.Inflate(data, piece => ReadThrough(from, z.Held, piece.Span, at, Layer.Inflated));
        }
        catch (InvalidDataException e)
        {
            StopInflating(from, z, at, "the compressed stream is not valid zlib (" + e.Message + ")");
        }
        return data.Length;
    }

    /// <summary>Compressed and inflated bytes of both sides, for the flow record.</summary>
    private void DescribeCompression()
    {
        if (_c.Inflating is null && _s.Inflating is null) return;
        _learned["compressed_bytes"] = (_c.Inflating?.Inflater.In ?? 0) + (_s.Inflating?.Inflater.In ?? 0);
        _learned["inflated_bytes"] = (_c.Inflating?.Inflater.Out ?? 0) + (_s.Inflating?.Inflater.Out ?? 0);
    }

    /// <summary>A zlib stream cannot be read past lost or bad bytes: the rest of that direction is skipped, said once.</summary>
    private void StopInflating(FlowSide from, Inflation z, StreamPosition at, string why)
    {
        z.Failure = why;
        z.Held.Clear();
        Note(from, at, at.Frame, "compression", "compressed stream not read further: " + why, 0, null);
    }
}
