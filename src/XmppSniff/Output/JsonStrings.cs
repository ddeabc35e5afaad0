using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    // non-ASCII byte: one search finds what to escape and what to give up on (text narrowed from UTF-16).
    private static readonly SearchValues<byte> EscapedOrNotAscii =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\', 0x7F, .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    /// <summary>Writes <paramref name="ascii"/> quoted and escaped; false (nothing written) when it is not all ASCII.</summary>
    public static bool TryWriteQuoted(ReadOnlySpan<byte> ascii, OutputBuffer output)
    {
        int start = output.Count;
        output.Write((byte)'"');
        Span<byte> tail = stackalloc byte[Vector256<byte>.Count];
        int done = CopyPlain(ascii, output);
        while (done < ascii.Length)
        {
            // The next 32 bytes (the last few through a copy): written whole, kept up to the first that needs care.
            int rest = ascii.Length - done;
            Vector256<byte> block;
            if (rest >= Vector256<byte>.Count) block = Vector256.Create(ascii.Slice(done, Vector256<byte>.Count));
            else
            {
                ascii[done..].CopyTo(tail);
                block = Vector256.Create(tail);
            }
            uint specials = Special(block).ExtractMostSignificantBits();
            if (rest < Vector256<byte>.Count) specials &= (1u << rest) - 1; // past the text: whatever the copy held before
            int plain = specials == 0 ? Math.Min(rest, Vector256<byte>.Count) : BitOperations.TrailingZeroCount(specials);
            block.StoreUnsafe(ref MemoryMarshal.GetReference(output.GetSpan(Vector256<byte>.Count)));
            output.Advance(plain);
            done += plain;
            if (specials == 0)
            {
                if (rest > Vector256<byte>.Count) done += CopyPlain(ascii[done..], output); // plain text goes on: the faster loop
                continue;
            }
            byte b = ascii[done++];
            if (b >= 0x80)
            {
                output.Truncate(start); // not ASCII: take back what was written, in the same pass
                return false;
            }
            output.Write(Escape(b));
        }
        output.Write((byte)'"');
        return true;
    }

    /// <summary>
    /// Copies the text's leading 32-byte blocks that need no escape, testing each as it is copied: one pass over a
    /// 64 KiB message body instead of a search and then a copy. Returns how many bytes it copied.
    /// </summary>
    private static int CopyPlain(ReadOnlySpan<byte> text, OutputBuffer output)
    {
        if (text.Length < Vector256<byte>.Count) return 0;
        Span<byte> to = output.GetSpan(text.Length);
        ref byte from = ref MemoryMarshal.GetReference(text);
        ref byte into = ref MemoryMarshal.GetReference(to);
        int done = 0;
        for (; done <= text.Length - Vector256<byte>.Count; done += Vector256<byte>.Count)
        {
            Vector256<byte> block = Vector256.LoadUnsafe(ref from, (nuint)done);
            if (Special(block) != Vector256<byte>.Zero) break;
            block.StoreUnsafe(ref into, (nuint)done);
        }
        output.Advance(done);
        return done;
    }

    /// <summary>
    /// The bytes of <paramref name="block"/> that need care: below 0x20 or 0x80 and up (negative as signed), the quote,
    /// the backslash, DEL (what <see cref="EscapedOrNotAscii"/> holds).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Special(Vector256<byte> block) =>
        Vector256.LessThan(block.AsSByte(), Vector256.Create((sbyte)0x20)).AsByte()
        | Vector256.Equals(block, Vector256.Create((byte)'"'))
        | Vector256.Equals(block, Vector256.Create((byte)'\\'))
        | Vector256.Equals(block, Vector256.Create((byte)0x7F));

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
