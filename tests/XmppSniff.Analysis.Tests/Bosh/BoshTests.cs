using XmppSniff.Analysis.Tests.Protocols;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Bosh;

public class BoshTests
{
    private static string Post(string body) =>
        $"POST /http-bind HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {body.Length}\r\n\r\n{body}";

    private static string Ok(string body) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {body.Length}\r\n\r\n{body}";

    [Fact]
    public void OneSessionAcrossTwoConnectionsIsDecodedInOrderWithSecretsRedacted()
    {
        var first = new ProtocolHarness(serverPort: 5280, clientPort: 40001);
        first.C(Post("<body rid='1' to='example.test' xmlns='http://jabber.org/protocol/httpbind'/>"));
        first.S(Ok("<body sid='s1' xmlns='http://jabber.org/protocol/httpbind'><stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features></body>"));
        first.C(Post("<body rid='2' sid='s1' xmlns='http://jabber.org/protocol/httpbind'><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AHVzZXIAc2VjcmV0</auth></body>"));
        first.S(Ok("<body sid='s1' xmlns='http://jabber.org/protocol/httpbind'><success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></body>"));
        first.Ms += 40;
        first.C(Post("<body rid='3' sid='s1' xmlns='http://jabber.org/protocol/httpbind'><iq xmlns='jabber:client' type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq></body>"));
        first.S(Ok("<body sid='s1' xmlns='http://jabber.org/protocol/httpbind'/>"));
        first.End();

        // The same session continues on a new HTTP connection, as BOSH clients do.
        var second = new ProtocolHarness(serverPort: 5280, clientPort: 40002, sameRunAs: first);
        second.Ms = first.Ms + 25;
        second.C(Post("<body rid='4' sid='s1' xmlns='http://jabber.org/protocol/httpbind'><message xmlns='jabber:client' to='b@example.test' type='chat' id='m1'><body>hi</body></message></body>"));
        second.S(Ok("<body sid='s1' xmlns='http://jabber.org/protocol/httpbind'><iq xmlns='jabber:client' type='result' id='p1'/></body>"));
        second.End();

        var elements = first.Records<XmppElement>().ToList();
        Assert.Equal(["features", "auth", "success", "iq", "message", "iq"], elements.Select(e => e.Name));
        Assert.Equal([FlowSide.Server, FlowSide.Client, FlowSide.Server, FlowSide.Client, FlowSide.Client, FlowSide.Server], elements.Select(e => e.Direction));
        Assert.Equal("hi", elements[4].Body);
        Assert.Equal(25.0, elements[5].RttMs); // the answer came on the second connection: one session, paired
        Assert.DoesNotContain(elements, e => e.Xml?.Contains("AHVzZXIAc2VjcmV0") == true);
        Assert.Equal(4, first.Records<HttpTransaction>().Count());
    }
}
