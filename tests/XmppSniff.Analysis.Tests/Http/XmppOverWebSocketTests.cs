using System.Text;
using XmppSniff.Analysis.Tests.Protocols;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Http;

/// <summary>XMPP over WebSocket (RFC 7395): the text messages of an upgrade to the "xmpp" subprotocol, read as an XMPP session.</summary>
public class XmppOverWebSocketTests
{
    private const string Framing = "urn:ietf:params:xml:ns:xmpp-framing";

    private static readonly string Upgrade =
        "GET /xmpp-websocket HTTP/1.1\r\nHost: localhost:5280\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: xmpp\r\n\r\n";

    private static string Switching(string protocol = "xmpp") =>
        $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: {protocol}\r\n\r\n";

    private static readonly byte[] Key = [0x37, 0xFA, 0x21, 0x3D];

    /// <summary>One frame: FIN unless told, the opcode, the payload masked with <see cref="Key"/> when the client sends it.</summary>
    private static byte[] Frame(string payload, bool fromClient, int opcode = 1, bool fin = true)
    {
        byte[] data = Encoding.UTF8.GetBytes(payload);
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        byte maskBit = fromClient ? (byte)0x80 : (byte)0;
        if (data.Length < 126) frame.Add((byte)(maskBit | data.Length));
        else frame.AddRange([(byte)(maskBit | 126), (byte)(data.Length >> 8), (byte)data.Length]);
        if (fromClient) frame.AddRange(Key);
        for (int i = 0; i < data.Length; i++) frame.Add(fromClient ? (byte)(data[i] ^ Key[i % 4]) : data[i]);
        return [.. frame];
    }

    private static byte[] C(string payload, int opcode = 1, bool fin = true) => Frame(payload, true, opcode, fin);

    private static byte[] S(string payload) => Frame(payload, false);

    // A session as prosody's mod_websocket and a browser client hold it: open, features, SASL PLAIN, a restart, a
    // message sent in two fragments with a ping between them, a message received, close.
    private static readonly byte[] ClientFrames =
    [
        .. C($"<open xmlns='{Framing}' to='localhost' version='1.0'/>"),
        .. C("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGp1bGlldAByMG0zMA==</auth>"),
        .. C($"<open xmlns='{Framing}' to='localhost' version='1.0'/>"),
        .. C("<message xmlns='jabber:client' to='romeo@localhost' type='chat' id='m1'><body>Wherefore art ", fin: false),
        .. C("ping?", opcode: 9),
        .. C("thou, Römeo?</body></message>", opcode: 0),
        .. C("binary, not XMPP", opcode: 2),
        .. C($"<close xmlns='{Framing}'/>"),
    ];

    private static readonly byte[] ServerFrames =
    [
        .. S($"<open xmlns='{Framing}' from='localhost' id='s-1' version='1.0' xml:lang='en'/>"),
        .. S("<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"),
        .. S("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"),
        .. S($"<open xmlns='{Framing}' from='localhost' id='s-2' version='1.0'/>"),
        .. S("<message xmlns='jabber:client' from='romeo@localhost/balcony' to='juliet@localhost' type='chat'><body>" + new string('x', 300) + "</body></message>"),
        .. S($"<close xmlns='{Framing}'/>"),
    ];

    private static (FlowRecord Flow, List<XmppElement> Elements) Run(IEnumerable<byte[]> client, IEnumerable<byte[]> server, string protocol = "xmpp", bool showSecrets = false)
    {
        var h = new ProtocolHarness(5280, showSecrets: showSecrets);
        h.C(Upgrade);
        h.S(Switching(protocol));
        foreach (byte[] piece in client)
        {
            h.Ms += 1;
            h.C(piece);
        }
        foreach (byte[] piece in server)
        {
            h.Ms += 1;
            h.S(piece);
        }
        FlowRecord flow = h.End();
        return (flow, h.Records<XmppElement>().ToList());
    }

    private static string Show(XmppElement e) => $"{e.Dir} {e.Kind} {e.Name} {e.Summary}";

    [Fact]
    public void The_text_messages_of_an_xmpp_upgrade_are_read_as_an_xmpp_session()
    {
        var (flow, elements) = Run([ClientFrames], [ServerFrames]);
        Assert.Equal(
        [
            "c2s stream-open open stream open to=localhost version=1.0 (WebSocket framing)",
            "c2s nonza auth SASL auth PLAIN [20 chars redacted]",
            "c2s stream-open open stream open to=localhost version=1.0 (WebSocket framing)",
            "c2s stanza message message chat: \"Wherefore art thou, Römeo?\"",
            "c2s stream-close close stream close (WebSocket framing)",
            "s2c stream-open open stream open from=localhost id=s-1 version=1.0 xml:lang=en (WebSocket framing)",
            "s2c nonza features features: SASL [PLAIN]",
            "s2c nonza success SASL success; the stream restarts",
            "s2c stream-open open stream open from=localhost id=s-2 version=1.0 (WebSocket framing)",
            $"s2c stanza message message chat: \"{new string('x', 77)}...\"",
            "s2c stream-close close stream close (WebSocket framing)",
        ], elements.Select(Show));
        XmppElement message = elements.Single(e => e.Name == "message" && e.Dir == "c2s");
        Assert.Equal("Wherefore art thou, Römeo?", message.Body);
        Assert.Equal("romeo@localhost", message.To);
        Assert.DoesNotContain("AGp1bGlldAByMG0zMA", string.Join("\n", elements.Select(e => e.Xml)));
        Assert.Equal("http", flow.App);
        var xmpp = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(flow.AppDetails()["xmpp"]);
        Assert.Equal("localhost", xmpp["domain"]);
        Assert.Equal(2L, xmpp["stanzas_message"]);
    }

    [Fact]
    public void Secrets_are_shown_when_asked()
    {
        var (_, elements) = Run([ClientFrames], [ServerFrames], showSecrets: true);
        Assert.Contains("AGp1bGlldAByMG0zMA==", elements.Single(e => e.Name == "auth").Xml);
    }

    [Fact]
    public void Split_at_every_byte_each_side_reads_the_same()
    {
        List<string> whole = Run([ClientFrames], [ServerFrames]).Elements.Select(Show).ToList();
        for (int at = 1; at < ClientFrames.Length; at++)
            Assert.Equal(whole, Run([ClientFrames[..at], ClientFrames[at..]], [ServerFrames]).Elements.Select(Show));
        for (int at = 1; at < ServerFrames.Length; at++)
            Assert.Equal(whole, Run([ClientFrames], [ServerFrames[..at], ServerFrames[at..]]).Elements.Select(Show));
    }

    [Fact]
    public void A_websocket_of_another_subprotocol_is_not_read_as_xmpp()
    {
        var (flow, elements) = Run([ClientFrames], [ServerFrames], protocol: "chat.example");
        Assert.Empty(elements);
        Assert.Equal(true, flow.AppDetails()["websocket"]);
        Assert.False(flow.AppDetails().ContainsKey("xmpp"));
    }
}
