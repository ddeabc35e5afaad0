using System.Buffers;
using System.Text;

namespace XmppSniff.Output;

/// <summary>
/// JSON string values for the common case of ASCII text, escaped with vector searches straight into
/// the output; the result is byte for byte what <see cref="System.Text.Json.Utf8JsonWriter"/> writes
/// with the relaxed encoder (a test compares every ASCII byte). Other text is left to the writer.
/// </summary>
internal static class JsonStrings
{
    // What the relaxed encoder escapes among ASCII (control characters, the quote, the backslash and DEL), plus every
    // non-ASCII byte: one search finds what to escape and what to give up on.
    private static readonly SearchValues<byte> EscapedOrNotAscii =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', 0x7F, .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    /// <summary>Writes <paramref name="ascii"/> quoted and escaped; false (nothing written) when it is not all ASCII.</summary>
    public static bool TryWriteQuoted(ReadOnlySpan<byte> ascii, OutputBuffer output)
    {
        int start = output.Count;
        output.Write((byte)'"');
        int next;
        while ((next = ascii.IndexOfAny(EscapedOrNotAscii)) >= 0)
        {
            if (ascii[next] >= 0x80)
            {
                output.Truncate(start); // not ASCII: take back what was written, in the same pass
                return false;
            }
            output.Write(ascii[..next]);
            output.Write(Escape(ascii[next]));
            ascii = ascii[(next + 1)..];
        }
        output.Write(ascii);
        output.Write((byte)'"');
        return true;
    }

    /// <summary>The same for text held as UTF-16.</summary>
    public static bool TryWriteQuoted(ReadOnlySpan<char> ascii, OutputBuffer output)
    {
        // Narrowed straight into the output, which also checks that it is ASCII; most text then needs no escape.
        Span<byte> span = output.GetSpan(ascii.Length + 2);
        if (Ascii.FromUtf16(ascii, span[1..], out int written) != OperationStatus.Done) return false;
        if (span.Slice(1, written).IndexOfAny(EscapedOrNotAscii) >= 0) return TryWriteQuoted(span.Slice(1, written).ToArray(), output);
        span[0] = (byte)'"';
        span[written + 1] = (byte)'"';
        output.Advance(written + 2);
        return true;
    }

    private static ReadOnlySpan<byte> Escape(byte b) => b switch
    {
        (byte)'"' => "\\\""u8,
        (byte)'\\' => "\\\\"u8,
        (byte)'\n' => "\\n"u8,
        (byte)'\r' => "\\r"u8,
        (byte)'\t' => "\\t"u8,
        (byte)'\b' => "\\b"u8,
        (byte)'\f' => "\\f"u8,
        _ => Encoding.ASCII.GetBytes($"\\u{b:X4}"),
    };
}
