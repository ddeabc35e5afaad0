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

    public override string ToString() => Address.IsV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}
