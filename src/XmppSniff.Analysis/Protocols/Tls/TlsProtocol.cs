using XmppSniff.Analysis.Flows;

namespace XmppSniff.Analysis.Protocols.Tls;

/// <summary>
/// TLS (and SSL 3.0) recognised by its first record: a handshake record (type 22, version 3.x)
/// carrying a ClientHello from the client or a ServerHello from the server. Any port; the usual
/// ones include XMPP's direct TLS (XEP-0368: 5223 client, 5270 server).
/// </summary>
public static class TlsProtocol
{
    public static ProtocolDescriptor Descriptor { get; } = new(
        "tls", new HashSet<ushort> { 443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 5223, 5270, 5349, 8443 }, Probe, Create, OnPortProbe);

    /// <summary>
    /// On a TLS port a capture that starts mid-connection is recognised by any well-formed record
    /// header (type 20-23, version 3.x, a possible length) from the side that sent first.
    /// </summary>
    public static ProbeResult OnPortProbe(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        ProbeResult hello = Probe(client, server);
        if (hello != ProbeResult.No) return hello;
        ReadOnlySpan<byte> first = client.IsEmpty ? server : client;
        if (first.Length < TlsRecord.HeaderLength) return ProbeResult.NeedMore;
        int length = (first[3] << 8) | first[4];
        return first[0] is >= TlsRecord.ChangeCipherSpec and <= TlsRecord.ApplicationData && first[1] == 3 && first[2] <= 4
            && length is > 0 and <= TlsRecord.MaxLength ? ProbeResult.Yes : ProbeResult.No;
    }

    public static ProbeResult Probe(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        // The client speaks first; a server hello alone means the capture missed the client's.
        return client.IsEmpty ? ProbeRecord(server, TlsHandshake.ServerHello) : ProbeRecord(client, TlsHandshake.ClientHello);
    }

    private static ProbeResult ProbeRecord(ReadOnlySpan<byte> data, byte expectedHandshake)
    {
        if (data.IsEmpty) return ProbeResult.NeedMore;
        if (data[0] != TlsRecord.Handshake) return ProbeResult.No;
        if (data.Length < 6) return ProbeResult.NeedMore;
        bool version = data[1] == 3 && data[2] <= 4;
        int length = (data[3] << 8) | data[4];
        return version && length is > 0 and <= TlsRecord.MaxLength && data[5] == expectedHandshake ? ProbeResult.Yes : ProbeResult.No;
    }

    private static IStreamAnalyzer Create(Flow flow) =>
        new TlsAnalyzer(flow.Output.TlsKeys, () => new Decryption.DecryptedApplication(flow), flow.Output.TlsTap, flow.Id);
}
