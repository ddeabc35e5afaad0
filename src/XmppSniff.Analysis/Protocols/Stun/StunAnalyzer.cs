using System.Buffers.Binary;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Stun;

/// <summary>
/// Counts STUN/TURN messages by method and class. Over UDP one message per datagram; other
/// datagrams on the same flow (TURN ChannelData, and RTP or DTLS multiplexed as RFC 7983 allows)
/// are counted, not violations. Over TCP messages and ChannelData are framed by their lengths.
/// </summary>
internal sealed class StunAnalyzer(bool tcp) : IStreamAnalyzer
{
    private readonly SortedDictionary<string, long> _messages = new(StringComparer.Ordinal);

    public string? Violation { get; private set; }

    public int Consume(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
    {
        if (!tcp)
        {
            bool cookie = data.Length >= StunMessage.HeaderLength && (data[0] & 0xC0) == 0 && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == StunMessage.MagicCookie;
            Count(data, cookie || StunMessage.Measure(data) > 0);
            return data.Length;
        }
        int used = 0;
        while (used < data.Length && Violation is null)
        {
            ReadOnlySpan<byte> rest = data[used..];
            int length = rest[0] >> 6 == 1 ? ChannelDataLength(rest) : StunMessage.Measure(rest);
            if (length < 0) break;
            if (length == 0)
            {
                Violation = "not STUN framing";
                return data.Length;
            }
            Count(rest, rest[0] >> 6 == 0);
            used += length;
        }
        return used;
    }

    public void Gap(FlowSide from, long length)
    {
        if (tcp) Violation ??= "bytes missing: STUN framing lost";
    }

    public void End(FlowRecord record)
    {
    }

    public IReadOnlyDictionary<string, object?> Describe() =>
        new Dictionary<string, object?> { ["messages"] = _messages.Sum(m => m.Value), ["by_type"] = string.Join(", ", _messages.Select(m => $"{m.Key}={m.Value}")) };

    private void Count(ReadOnlySpan<byte> data, bool stun)
    {
        string name = stun ? StunMessage.Name(BinaryPrimitives.ReadUInt16BigEndian(data))
            : data.Length >= 4 && data[0] >> 6 == 1 ? "channel_data"
            : "other";
        _messages[name] = _messages.GetValueOrDefault(name) + 1;
    }

    /// <summary>TURN ChannelData over TCP: channel, length, data padded to 4 bytes (RFC 8656 §12.5).</summary>
    /// <summary>The length of the ChannelData message (RFC 8656 §12.5, padded over TCP) at the start of <paramref name="data"/>; -1: not all here yet.</summary>
    private static int ChannelDataLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) return -1;
        int length = 4 + ((BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + 3) & ~3);
        return data.Length < length ? -1 : length;
    }
}
