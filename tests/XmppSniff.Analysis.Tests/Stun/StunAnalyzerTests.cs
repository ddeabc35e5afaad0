using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Stun;
using XmppSniff.Analysis.Tests.Protocols;

namespace XmppSniff.Analysis.Tests.Stun;

public class StunAnalyzerTests
{
    private static byte[] Message(ushort type, byte[] attributes, bool cookie = true) =>
    [
        (byte)(type >> 8), (byte)type, (byte)(attributes.Length >> 8), (byte)attributes.Length,
        .. cookie ? (byte[])[0x21, 0x12, 0xA4, 0x42] : [9, 9, 9, 9], .. Enumerable.Range(1, 12).Select(i => (byte)i), .. attributes,
    ];

    /// <summary>XOR-MAPPED-ADDRESS (8 bytes of value) and SOFTWARE with 3 bytes padded to 4.</summary>
    private static readonly byte[] Attributes = [0, 0x20, 0, 8, 0, 1, 0x10, 0, 1, 2, 3, 4, 0x80, 0x22, 0, 3, (byte)'x', (byte)'y', (byte)'z', 0];

    [Fact]
    public void BindingRequestsAndAnswersAreCountedByTypeOnAnyPort()
    {
        var h = new ProtocolHarness(serverPort: 40001, clientPort: 40002);
        h.UdpC(Message(0x0001, []));
        h.UdpS(Message(0x0101, Attributes));
        h.UdpC(Message(0x0003, Attributes));
        h.UdpS(Message(0x0113, []));
        h.UdpC([0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]); // RTP on the same flow
        var flow = h.End();
        Assert.Equal("stun", flow.App);
        Assert.Equal(5L, flow.AppDetails()["messages"]);
        Assert.Equal("allocate_error=1, allocate_request=1, binding_request=1, binding_success=1, other=1", flow.AppDetails()["by_type"]);
    }

    [Fact]
    public void TcpChannelDataLongerThanTheBytesAtHandWaitsForTheRest()
    {
        // Found by the AFL++ fuzzer (tests/Fuzz, target stream): a ChannelData header claiming more than had
        // arrived made the analyzer report more bytes consumed than it was given, and the host threw.
        var h = new ProtocolHarness(serverPort: 3478);
        h.C(Message(0x0001, []));
        h.C([0x40, 0x00, 0x01, 0x00, 1, 2, 3, 4]); // channel 0x4000, 256 bytes of data announced, 4 here
        h.C(new byte[252]);
        h.C([0x40, 0x01, 0x00, 0x05, 9]); // 5 announced (8 with padding), 1 here, then the connection ends
        var flow = h.End();
        Assert.Equal("stun", flow.App);
        Assert.Equal(2L, flow.AppDetails()["messages"]);
    }

    [Fact]
    public void ClassicRfc3489BindingWithoutCookieIsRecognised()
    {
        Assert.Equal(ProbeResult.Yes, StunProtocol.Probe(Message(0x0001, [0, 3, 0, 4, 0, 0, 0, 0], cookie: false), []));
        Assert.Equal(ProbeResult.No, StunProtocol.Probe(Message(0x0003, [], cookie: false), []));
    }

    [Fact]
    public void NearMissesAreNotStun()
    {
        Assert.Equal(ProbeResult.No, StunProtocol.Probe(Message(0x0001, [0, 0x20, 0, 9]), [])); // attribute past the end
        Assert.Equal(ProbeResult.No, StunProtocol.Probe(Message(0x8001, []), [])); // top bits set
        byte[] oddLength = Message(0x0001, []);
        oddLength[3] = 2;
        Assert.Equal(ProbeResult.No, StunProtocol.Probe([.. oddLength, 0, 0], []));
        Assert.Equal(ProbeResult.No, StunProtocol.Probe("GET / HTTP/1.1\r\nHost: a\r\n\r\n"u8, []));
        var random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            byte[] data = new byte[random.Next(20, 200)];
            random.NextBytes(data);
            Assert.NotEqual(ProbeResult.Yes, StunProtocol.Probe(data, []));
        }
    }
}
