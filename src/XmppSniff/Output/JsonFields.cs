using System.Buffers;
using System.Buffers.Text;
using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>
/// JSON values of the fields every record has (times, endpoints, frame ranges) written straight as
/// UTF-8: the same text as <see cref="Formats"/> gives, without a string per record.
/// </summary>
internal static class JsonFields
{
    // As in Formats: the text up to the second made once per second, the endpoints' quoted text kept (in a cache of
    // fixed size: one probe, no chain; two endpoints that share a slot take turns).
    [ThreadStatic] private static long t_second;
    [ThreadStatic] private static byte[]? t_secondBytes;
    [ThreadStatic] private static (Endpoint Key, byte[]? Json)[]? t_endpoints;
    private const int EndpointSlotBits = 13;

    /// <summary>"2024-05-01T12:00:00.123456Z", as <see cref="Formats.Time"/>.</summary>
    public static void Time(long unixNanoseconds, OutputBuffer to)
    {
        long second = Math.DivRem(unixNanoseconds / 100, TimeSpan.TicksPerSecond, out long fraction);
        if (fraction < 0)
        {
            JsonStrings.TryWriteQuoted(Formats.Time(unixNanoseconds).AsSpan(), to); // before 1970: rare, the slow way
            return;
        }
        if (t_secondBytes is null || second != t_second)
        {
            t_second = second;
            t_secondBytes = [(byte)'"', .. System.Text.Encoding.ASCII.GetBytes(Formats.SecondText(second)), (byte)'.'];
        }
        Span<byte> span = to.GetSpan(t_secondBytes.Length + 8);
        t_secondBytes.CopyTo(span);
        Utf8Formatter.TryFormat(fraction / 10, span[t_secondBytes.Length..], out _, new StandardFormat('D', 6));
        span[t_secondBytes.Length + 6] = (byte)'Z';
        span[t_secondBytes.Length + 7] = (byte)'"';
        to.Advance(t_secondBytes.Length + 8);
    }

    /// <summary>"address:port", as <see cref="Formats.Endpoint"/>.</summary>
    public static void Endpoint(Endpoint endpoint, OutputBuffer to)
    {
        (Endpoint Key, byte[]? Json)[] known = t_endpoints ??= new (Endpoint, byte[]?)[1 << EndpointSlotBits];
        ref (Endpoint Key, byte[]? Json) slot = ref known[(int)((uint)endpoint.GetHashCode() * 0x9E3779B1u >> (32 - EndpointSlotBits))];
        if (slot.Json is null || !slot.Key.Equals(endpoint))
        {
            // Written as bytes: most endpoints of a capture are clients seen once, and a string each would cost more than the write.
            Span<byte> text = stackalloc byte[Core.Endpoint.MaxTextLength + 2];
            text[0] = (byte)'"';
            int n = 1 + endpoint.FormatUtf8(text[1..]);
            text[n++] = (byte)'"';
            slot = (endpoint, text[..n].ToArray());
        }
        to.Write(slot.Json);
    }

    /// <summary>"12", or "12-15" for a range.</summary>
    public static void Frames(long first, long last, OutputBuffer to)
    {
        Span<byte> span = to.GetSpan(42);
        span[0] = (byte)'"';
        Utf8Formatter.TryFormat(first, span[1..], out int n);
        n++;
        if (last != first)
        {
            span[n++] = (byte)'-';
            Utf8Formatter.TryFormat(last, span[n..], out int more);
            n += more;
        }
        span[n++] = (byte)'"';
        to.Advance(n);
    }
}
