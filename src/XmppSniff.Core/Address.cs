using System.Buffers.Binary;
using System.Net;

namespace XmppSniff.Core;

/// <summary>An IPv4 or IPv6 address as a value: cheap to hash and compare on the hot path.</summary>
/// <remarks>IPv4 addresses are stored in the low 32 bits with <see cref="IsV6"/> false.</remarks>
public readonly record struct Address : IComparable<Address>
{
    // Two longs, not a UInt128: its 16-byte alignment would pad every endpoint and flow key to twice the size.
    private readonly ulong _high;
    private readonly ulong _low;

    public Address(UInt128 value, bool isV6)
    {
        _high = (ulong)(value >> 64);
        _low = (ulong)value;
        IsV6 = isV6;
    }

    public UInt128 Value => new(_high, _low);

    public bool IsV6 { get; }

    public static Address FromV4(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes), false);

    public static Address FromV6(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt128BigEndian(bytes), true);

    public static Address Parse(string text)
    {
        var ip = IPAddress.Parse(text);
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out int written);
        return written == 4 ? FromV4(bytes) : FromV6(bytes);
    }

    public bool Equals(Address other) => _low == other._low && _high == other._high && IsV6 == other.IsV6;

    public override int GetHashCode() => (int)_low ^ (int)_high ^ (int)(_low >> 32) ^ (IsV6 ? 0x5bd1e995 : 0);

    public int CompareTo(Address other)
    {
        if (IsV6 != other.IsV6) return IsV6 ? 1 : -1;
        return _high != other._high ? _high.CompareTo(other._high) : _low.CompareTo(other._low);
    }

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!IsV6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Value);
            return $"{bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3]}";
        }
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Value);
        return new IPAddress(bytes).ToString();
    }
}
