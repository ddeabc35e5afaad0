namespace XmppSniff.Analysis.Protocols.Dns;

/// <summary>Names of the record types people look for (IANA DNS parameters); others print as TYPEnnn (RFC 3597).</summary>
internal static class DnsTypes
{
    public static string Name(ushort type) => type switch
    {
        1 => "A",
        2 => "NS",
        5 => "CNAME",
        6 => "SOA",
        12 => "PTR",
        15 => "MX",
        16 => "TXT",
        28 => "AAAA",
        33 => "SRV",
        35 => "NAPTR",
        41 => "OPT",
        43 => "DS",
        46 => "RRSIG",
        47 => "NSEC",
        48 => "DNSKEY",
        64 => "SVCB",
        65 => "HTTPS",
        255 => "ANY",
        _ => $"TYPE{type}",
    };
}
