using System.Numerics;
using System.Runtime.InteropServices;

namespace XmppSniff.Analysis.Reassembly;

/// <summary>
/// A cheap 64-bit summary of a segment's bytes, so a later retransmission can be compared with
/// bytes that were delivered and are gone. Fletcher-style: a running sum of 8-byte words and a
/// sum of those sums, per vector lane (two adds per 32 bytes), so it changes whenever one word
/// changes and when words move. Not a cryptographic hash: someone who knows it can build bytes
/// that collide; the delivered stream does not depend on it (first copy wins regardless).
/// </summary>
internal static class SegmentFingerprint
{
    private const ulong Mix = 0x9E3779B97F4A7C15; // odd: multiplying by it loses nothing mod 2^64

    public static ulong Of(ReadOnlySpan<byte> data)
    {
        ulong sum = 0, sumOfSums = 0;
        int done = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            ReadOnlySpan<Vector<ulong>> words = MemoryMarshal.Cast<byte, Vector<ulong>>(data);
            Vector<ulong> s1 = Vector<ulong>.Zero, s2 = Vector<ulong>.Zero;
            foreach (Vector<ulong> w in words)
            {
                s1 += w;
                s2 += s1;
            }
            done = words.Length * Vector<byte>.Count;
            for (int lane = 0; lane < Vector<ulong>.Count; lane++) // lanes are different positions: weigh them apart
            {
                sum = sum * Mix + s1[lane];
                sumOfSums = sumOfSums * Mix + s2[lane];
            }
        }
        foreach (byte b in data[done..])
        {
            sum += b;
            sumOfSums += sum;
        }
        return (sum * Mix + sumOfSums) * Mix + (ulong)data.Length;
    }
}
