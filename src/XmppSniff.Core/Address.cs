using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Text;

namespace XmppSniff.Core;

/// <summary>An IPv4 or IPv6 address as a value: cheap to hash and compare on the hot path.</summary>
/// <remarks>
/// Sixteen bytes, no flag beside them, so an endpoint is 24 and a flow key 56 (copied inline, not
/// by a memory-move call). The high half is kept inverted, and an IPv4 address (in the low 32 bits)
/// has 0 there: the high half of all ones that would take is no IPv6 address's
/// (ffff:ffff:ffff:ffff::/64 is multicast with the reserved flag set), and default is 0.0.0.0.
/// </remarks>
public readonly record struct Address : IComparable<Address>
{
    // Two longs, not a UInt128: its 16-byte alignment would pad every endpoint and flow key to twice the size.
    private readonly ulong _notHigh;
    private readonly ulong _low;

    public Address(UInt128 value, bool isV6)
    {
        _notHigh = isV6 ? ~(ulong)(value >> 64) : 0;
        _low = isV6 ? (ulong)value : (uint)value;
    }

    public UInt128 Value => IsV6 ? new UInt128(~_notHigh, _low) : _low;

    public bool IsV6 => _notHigh != 0;

    public static Address FromV4(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes), false);

    public static Address FromV6(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt128BigEndian(bytes), true);

    public static Address Parse(string text)
    {
        var ip = IPAddress.Parse(text);
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out int written);
        return written == 4 ? FromV4(bytes) : FromV6(bytes);
    }

    public bool Equals(Address other) => _low == other._low && _notHigh == other._notHigh;

    public override int GetHashCode() => IsV6 ? (int)_low ^ (int)~_notHigh ^ (int)(_low >> 32) ^ 0x5bd1e995 : (int)_low;

    public int CompareTo(Address other)
    {
        if (IsV6 != other.IsV6) return IsV6 ? 1 : -1;
        // The high halves are stored inverted: the larger stored one is the smaller address.
        return _notHigh != other._notHigh ? other._notHigh.CompareTo(_notHigh) : _low.CompareTo(other._low);
    }

    /// <summary>The longest text of an address: an IPv6 one with an embedded IPv4 address.</summary>
    public const int MaxTextLength = 45;

    /// <summary>The address as text (dotted IPv4; IPv6 as <see cref="IPAddress"/> prints it) in UTF-8, into <paramref name="to"/> (at least <see cref="MaxTextLength"/> bytes); the bytes written.</summary>
    public int FormatUtf8(Span<byte> to)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (IsV6)
        {
            BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
            new IPAddress(bytes).TryFormat(to, out int v6);
            return v6;
        }
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Value);
        int n = 0;
        for (int i = 0; i < 4; i++)
        {
            if (i > 0) to[n++] = (byte)'.';
            Utf8Formatter.TryFormat(bytes[i], to[n..], out int digits);
            n += digits;
        }
        return n;
    }

    public override string ToString()
    {
        Span<byte> text = stackalloc byte[MaxTextLength];
        return Encoding.ASCII.GetString(text[..FormatUtf8(text)]);
    }
}
