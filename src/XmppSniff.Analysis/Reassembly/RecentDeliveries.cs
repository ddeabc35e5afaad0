using System.Runtime.CompilerServices;

namespace XmppSniff.Analysis.Reassembly;

/// <summary>
/// The last <see cref="Size"/> runs of bytes one direction delivered, as (start, length,
/// fingerprint), so a retransmission of them can be checked for different contents without
/// keeping the bytes. Fixed size, inline in the reassembler: no allocation, constant memory.
/// Older deliveries are forgotten; a retransmission of those is not compared.
/// </summary>
internal struct RecentDeliveries
{
    public const int Size = 4;

    /// <summary>A remembered run further back than this from the stream's position is not trusted (sequence numbers wrap).</summary>
    private const uint MaxDistance = 1u << 30;

    private Ring _runs;
    private int _next;

    /// <summary>Remembers a run of <paramref name="length"/> bytes from <paramref name="seq"/> whose <see cref="SegmentFingerprint"/> is <paramref name="fingerprint"/>.</summary>
    public void Remember(uint seq, int length, ulong fingerprint)
    {
        _runs[_next] = new Run(seq, length, fingerprint);
        _next = (_next + 1) & (Size - 1);
    }

    /// <summary>
    /// Whether <paramref name="data"/>, re-sent from <paramref name="seq"/>, disagrees with a
    /// remembered run it covers whole. Runs it covers only in part are not compared.
    /// </summary>
    public readonly bool Contradicts(uint seq, ReadOnlySpan<byte> data, uint nextSeq)
    {
        for (int i = 0; i < Size; i++)
        {
            Run run = _runs[i];
            if (run.Length == 0 || nextSeq - run.Seq > MaxDistance) continue;
            uint offset = run.Seq - seq; // where the run starts in data, modulo 2^32
            if (offset > (uint)data.Length || data.Length - (int)offset < run.Length) continue;
            if (SegmentFingerprint.Of(data.Slice((int)offset, run.Length)) != run.Fingerprint) return true;
        }
        return false;
    }

    private readonly record struct Run(uint Seq, int Length, ulong Fingerprint);

    [InlineArray(Size)]
    private struct Ring
    {
        private Run _first;
    }
}
