using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Dns;
using XmppSniff.Analysis.Tests.Protocols;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Dns;

public class DnsAnalyzerTests
{
    private static byte[] Header(ushort id, bool response, int qd, int an) =>
        [(byte)(id >> 8), (byte)id, (byte)(response ? 0x81 : 0x01), (byte)(response ? 0x80 : 0x00), 0, (byte)qd, 0, (byte)an, 0, 0, 0, 0];

    private static byte[] Name(string name) =>
        [.. name.Split('.').SelectMany(l => (byte[])[(byte)l.Length, .. System.Text.Encoding.ASCII.GetBytes(l)]), 0];

    private static readonly byte[] SrvQuery = [.. Header(0x1234, false, 1, 0), .. Name("_xmpp-client._tcp.example.org"), 0, 33, 0, 1];

    /// <summary>The answer repeats the question and points back at it (offset 12) for the record's name.</summary>
    private static readonly byte[] SrvAnswer =
    [
        .. Header(0x1234, true, 1, 1), .. Name("_xmpp-client._tcp.example.org"), 0, 33, 0, 1,
        0xC0, 12, 0, 33, 0, 1, 0, 0, 0x0E, 0x10, 0, 24, 0, 5, 0, 0, 0x14, 0x66, .. Name("xmpp.example.org"),
    ];

    [Fact]
    public void SrvLookupForXmppIsPairedAndShownWithItsTarget()
    {
        var h = new ProtocolHarness(serverPort: 53);
        h.UdpC(SrvQuery);
        h.UdpS(SrvAnswer);
        FlowRecord flow = h.End();
        Assert.Equal("dns", flow.App);
        Assert.Equal(1L, flow.AppDetails()["queries"]);
        Assert.Equal(1L, flow.AppDetails()["answered"]);
        Assert.Equal("_xmpp-client._tcp.example.org SRV", flow.AppDetails()["names"]);
        Assert.Equal("_xmpp-client._tcp.example.org, _xmpp-client._tcp.example.org -> xmpp.example.org:5222", flow.AppDetails()["xmpp_srv"]);
    }

    [Fact]
    public void DnsIsFoundOffItsPortAndOverTcpSplitAtEveryByte()
    {
        var off = new ProtocolHarness(serverPort: 9053);
        off.UdpC(SrvQuery);
        Assert.Equal("dns", off.End().App);

        byte[] stream = [0, (byte)SrvQuery.Length, .. SrvQuery];
        for (int cut = 1; cut < stream.Length; cut++)
        {
            var tcp = new ProtocolHarness(serverPort: 53);
            tcp.C(stream[..cut]);
            tcp.C(stream[cut..]);
            tcp.S([0, (byte)SrvAnswer.Length, .. SrvAnswer]);
            FlowRecord flow = tcp.End();
            Assert.Equal("dns", flow.App);
            Assert.Equal(1L, flow.AppDetails()["answered"]);
        }
    }

    [Fact]
    public void ACompressionPointerLoopIsRejectedNotFollowedForever()
    {
        byte[] loop = [.. Header(1, true, 1, 1), .. Name("a.org"), 0, 1, 0, 1, 0xC0, 30, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4];
        loop[30 - 12 + 12] = 0xC0; // the record's name points at itself
        loop[31] = 30;
        Assert.False(DnsMessageProbe(loop));
        var h = new ProtocolHarness(serverPort: 53);
        h.UdpC(SrvQuery);
        h.UdpS(loop);
        Assert.Equal(1L, h.End().AppDetails()["malformed"]);
    }

    [Fact]
    public void RandomOrTextDatagramsOffPortAreNotDns()
    {
        var random = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            byte[] data = new byte[random.Next(12, 200)];
            random.NextBytes(data);
            Assert.NotEqual(ProbeResult.Yes, DnsProtocol.Probe(data, []));
        }
        Assert.Equal(ProbeResult.No, DnsProtocol.Probe("GET / HTTP/1.1\r\n\r\n"u8, []));
    }

    private static bool DnsMessageProbe(byte[] message) => DnsProtocol.Probe(message, []) == ProbeResult.Yes;

    [Fact]
    public void ProbingBytesThatAreNotDnsAllocatesNothing()
    {
        // Every flow's first bytes, on any port, meet this probe: an echo's text, an HTTP request.
        byte[][] others = [System.Text.Encoding.ASCII.GetBytes("hello from the echo client, message 1"), System.Text.Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")];
        DnsProtocol.Probe(others[0], []); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        ProbeResult echo = DnsProtocol.Probe(others[0], []), http = DnsProtocol.Probe(others[1], []);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(ProbeResult.No, echo);
        Assert.Equal(ProbeResult.No, http);
        Assert.Equal(ProbeResult.Yes, DnsProtocol.Probe(SrvQuery, []));
    }
}
