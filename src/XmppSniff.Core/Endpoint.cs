using System.Buffers.Text;
using System.Text;

namespace XmppSniff.Core;

/// <summary>An address and a port; printed as "ip:port", IPv6 as "[addr]:port".</summary>
public readonly record struct Endpoint(Address Address, ushort Port) : IComparable<Endpoint>
{
    public bool Equals(Endpoint other) => Port == other.Port && Address.Equals(other.Address);

    public override int GetHashCode() => Address.GetHashCode() * 31 + Port;

    public int CompareTo(Endpoint other)
    {
        int c = Address.CompareTo(other.Address);
        return c != 0 ? c : Port.CompareTo(other.Port);
    }

    /// <summary>The longest text of an endpoint: "[" IPv6 "]:" port.</summary>
    public const int MaxTextLength = Address.MaxTextLength + 8;

    public override string ToString()
    {
        Span<byte> text = stackalloc byte[MaxTextLength];
        return Encoding.ASCII.GetString(text[..FormatUtf8(text)]);
    }

    /// <summary>The endpoint as text in UTF-8, into <paramref name="to"/> (at least <see cref="MaxTextLength"/> bytes); the bytes written.</summary>
    public int FormatUtf8(Span<byte> to)
    {
        int n = 0;
        if (Address.IsV6) to[n++] = (byte)'[';
        n += Address.FormatUtf8(to[n..]);
        if (Address.IsV6) to[n++] = (byte)']';
        to[n++] = (byte)':';
        Utf8Formatter.TryFormat(Port, to[n..], out int digits);
        return n + digits;
    }
}
