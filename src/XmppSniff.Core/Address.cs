using System.Buffers.Binary;
using System.Net;

namespace XmppSniff.Core;

/// <summary>An IPv4 or IPv6 address as a value: cheap to hash and compare on the hot path.</summary>
/// <remarks>IPv4 addresses are stored in the low 32 bits with <see cref="IsV6"/> false.</remarks>
public readonly record struct Address(UInt128 Value, bool IsV6) : IComparable<Address>
{
    public static Address FromV4(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt32BigEndian(bytes), false);

    public static Address FromV6(ReadOnlySpan<byte> bytes) => new(BinaryPrimitives.ReadUInt128BigEndian(bytes), true);

    public static Address Parse(string text)
    {
        var ip = IPAddress.Parse(text);
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out int written);
        return written == 4 ? FromV4(bytes) : FromV6(bytes);
    }

    public bool Equals(Address other) => Value == other.Value && IsV6 == other.IsV6;

    public override int GetHashCode() => (int)(ulong)Value ^ (int)(ulong)(Value >> 64) ^ (int)((ulong)Value >> 32) ^ (IsV6 ? 0x5bd1e995 : 0);

    public int CompareTo(Address other)
    {
        int c = IsV6.CompareTo(other.IsV6);
        return c != 0 ? c : Value.CompareTo(other.Value);
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
