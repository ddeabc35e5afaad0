using System.Buffers;
using System.Text;

namespace XmppSniff.Output;

/// <summary>
/// JSON string values for the common case of ASCII text, escaped with vector searches; the result is
/// byte for byte what <see cref="System.Text.Json.Utf8JsonWriter"/> writes with the relaxed encoder
/// (a test compares every ASCII byte). Other text is left to the writer.
/// </summary>
internal static class JsonStrings
{
    // What the relaxed encoder escapes among ASCII: control characters, the quote, the backslash and DEL.
    private static readonly SearchValues<byte> Escaped = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', 0x7F]);

    /// <summary>Writes <paramref name="ascii"/> quoted and escaped; false (nothing written) when it is not all ASCII.</summary>
    public static bool TryWriteQuoted(ReadOnlySpan<byte> ascii, ArrayBufferWriter<byte> output)
    {
        if (!Ascii.IsValid(ascii)) return false;
        output.Write("\""u8);
        int next;
        while ((next = ascii.IndexOfAny(Escaped)) >= 0)
        {
            output.Write(ascii[..next]);
            output.Write(Escape(ascii[next]));
            ascii = ascii[(next + 1)..];
        }
        output.Write(ascii);
        output.Write("\""u8);
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
