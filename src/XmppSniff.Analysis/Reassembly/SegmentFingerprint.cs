using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XmppSniff.Analysis.Reassembly;

/// <summary>
/// A cheap 64-bit summary of a segment's bytes, so a later retransmission can be compared with
/// bytes that were delivered and are gone. Fletcher-style: per vector lane, a running sum of
/// 8-byte words and a sum of those sums (two adds per vector, two independent chains), folded
/// with per-lane weights, odd for the sums and even for the sums of sums, so one changed word
/// always changes the result (its change is multiplied by an odd number) and moved words
/// change it too. Not a cryptographic hash: someone who knows it can build bytes that collide;
/// the delivered stream does not depend on it (the first copy wins regardless). Public so that the
/// reading thread can compute it for each TCP payload while the bytes are in its cache (see
/// <see cref="Core.Packet.PayloadFingerprint"/>), off the busier flow-table thread.
/// </summary>
public static class SegmentFingerprint
{
    private const ulong Odd = 0x9E3779B97F4A7C15, Even = 0xC2B2AE3D27D4EB4E;

    // Constants the JIT builds in place (no static fields: their init check made it spill the sums).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> LaneWeights(ulong first) => new Vector<ulong>(first) + Vector<ulong>.Indices * new Vector<ulong>(2);

    public static ulong Of(ReadOnlySpan<byte> data)
    {
        int width = Vector<byte>.Count;
        if (!Vector.IsHardwareAccelerated || data.Length < width) return Scalar(data);

        ref byte start = ref MemoryMarshal.GetReference(data);
        Vector<ulong> a1 = default, a2 = default, b1 = default, b2 = default;
        int i = 0;
        for (; i <= data.Length - 2 * width; i += 2 * width)
        {
            a1 += Vector.As<byte, ulong>(Vector.LoadUnsafe(ref start, (nuint)i));
            a2 += a1;
            b1 += Vector.As<byte, ulong>(Vector.LoadUnsafe(ref start, (nuint)(i + width)));
            b2 += b1;
        }
        if (i <= data.Length - width)
        {
            a1 += Vector.As<byte, ulong>(Vector.LoadUnsafe(ref start, (nuint)i));
            a2 += a1;
            i += width;
        }
        int rest = data.Length - i;
        if (rest > 0)
        {
            // The last full-width vector, with the bytes already summed masked off: each byte counts once.
            Vector<byte> last = Vector.LoadUnsafe(ref start, (nuint)(data.Length - width));
            last &= Vector.GreaterThanOrEqual(Vector<byte>.Indices, new Vector<byte>((byte)(width - rest)));
            b1 += Vector.As<byte, ulong>(last);
            b2 += b1;
        }
        // Odd weights for the sums, even ones for the sums of sums, a different one per lane and pair.
        Vector<ulong> folded = a1 * LaneWeights(Odd) + a2 * LaneWeights(Even) + b1 * LaneWeights(Odd + 2 * 8) + b2 * LaneWeights(Even + 2 * 8);
        return Finish(Vector.Sum(folded), data.Length);
    }

    /// <summary>The same idea one 8-byte word at a time, for segments shorter than a vector.</summary>
    private static ulong Scalar(ReadOnlySpan<byte> data)
    {
        ulong sum = 0, sumOfSums = 0;
        int i = 0;
        for (; i <= data.Length - 8; i += 8)
        {
            sum += Unsafe.ReadUnaligned<ulong>(ref Unsafe.AsRef(in data[i]));
            sumOfSums += sum;
        }
        int rest = data.Length - i;
        if (rest > 0)
        {
            ulong last;
            if (data.Length >= 8) // the last 8 bytes, shifted so that only the ones not summed yet remain
                last = Unsafe.ReadUnaligned<ulong>(ref Unsafe.AsRef(in data[^8])) >> (8 * (8 - rest));
            else // shorter than a word: i is 0
                for (last = 0; i < data.Length; i++) last |= (ulong)data[i] << (8 * i);
            sum += last;
            sumOfSums += sum;
        }
        return Finish(sum * Odd + sumOfSums * Even, data.Length);
    }

    private static ulong Finish(ulong folded, int length) => (folded ^ (ulong)length) * Odd;
}
