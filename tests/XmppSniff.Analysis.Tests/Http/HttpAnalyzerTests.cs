using XmppSniff.Analysis.Tests.Protocols;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Http;

public class HttpAnalyzerTests
{
    /// <summary>One segment of a conversation: who sends it and what.</summary>
    private sealed record Segment(bool FromClient, string Text);

    private static Segment C(string text) => new(true, text);

    private static Segment S(string text) => new(false, text);

    private static readonly Segment[] KeepAlive =
    [
        C("GET /a HTTP/1.1\r\nHost: example.org\r\nUser-Agent: t\r\n\r\n"),
        S("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"),
        C("POST /form HTTP/1.1\r\nHost: example.org\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n"),
        S("HTTP/1.1 100 Continue\r\n\r\n"),
        C("a=1&b=2"),
        S("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Trailer: yes\r\n\r\n"),
        C("HEAD /a HTTP/1.1\r\nHost: example.org\r\n\r\n"),
        S("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"),
        C("GET /cached HTTP/1.1\r\nHost: example.org\r\nIf-None-Match: \"x\"\r\n\r\nGET /204 HTTP/1.1\r\nHost: example.org\r\n\r\n"), // pipelined
        S("HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
        C("PUT /chunked HTTP/1.1\r\nHost: example.org\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
        S("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 9\r\n\r\nnot found"),
    ];

    private static readonly string[] KeepAliveExpected =
    [
        "GET /a example.org 200 req=0 resp=5 ka=True type=text/plain",
        "POST /form example.org 201 req=7 resp=9 ka=True type=",
        "HEAD /a example.org 200 req=0 resp=0 ka=True type=",
        "GET /cached example.org 304 req=0 resp=0 ka=True type=",
        "GET /204 example.org 204 req=0 resp=0 ka=True type=",
        "PUT /chunked example.org 404 req=3 resp=9 ka=False type=",
    ];

    private static string Show(HttpTransaction t) =>
        $"{t.Method} {t.Uri} {t.Host} {t.Status} req={t.RequestBytes} resp={t.ResponseBytes} ka={t.KeepAlive} type={t.ContentType}";

    private static (FlowRecord Flow, List<HttpTransaction> Transactions) Run(IEnumerable<Segment> segments, ushort port = 80)
    {
        var h = new ProtocolHarness(port);
        foreach (Segment s in segments)
        {
            h.Ms += 10;
            if (s.FromClient) h.C(s.Text);
            else h.S(s.Text);
        }
        h.ServerFin();
        FlowRecord flow = h.End();
        return (flow, h.Records<HttpTransaction>().ToList());
    }

    [Fact]
    public void KeepAliveConnectionGivesOneTransactionPerRequestInOrder()
    {
        var (flow, transactions) = Run(KeepAlive);
        Assert.Equal("http", flow.App);
        Assert.Equal(KeepAliveExpected, transactions.Select(Show));
        Assert.Equal(6L, flow.AppDetails()["requests"]);
        Assert.Equal(true, flow.AppDetails()["keep_alive"]);
        HttpTransaction first = transactions[0];
        Assert.Equal(10.0, first.TtfbMs);
        Assert.Equal(10.0, first.DurationMs);
        Assert.Equal(2, first.RequestHeaders);
        Assert.Equal(2, first.ResponseHeaders);
        Assert.Equal(5L, first.ContentLength);
        Assert.Equal("chunked", transactions[1].TransferEncoding);
        Assert.Equal("Not Found", transactions[5].Reason);
        Assert.Equal(30.0, transactions[1].DurationMs); // 100 Continue, body, then the final response
    }

    [Fact]
    public void SplittingAnySegmentAtAnyByteGivesTheSameTransactions()
    {
        for (int i = 0; i < KeepAlive.Length; i++)
        {
            for (int cut = 1; cut < KeepAlive[i].Text.Length; cut++)
            {
                Segment[] split = [.. KeepAlive[..i], KeepAlive[i] with { Text = KeepAlive[i].Text[..cut] }, KeepAlive[i] with { Text = KeepAlive[i].Text[cut..] }, .. KeepAlive[(i + 1)..]];
                var (_, transactions) = Run(split);
                Assert.Equal(KeepAliveExpected.Select(e => e), transactions.Select(Show));
            }
        }
    }

    [Fact]
    public void FedOneByteAtATimeGivesTheSameTransactions()
    {
        var bytes = KeepAlive.SelectMany(s => s.Text.Select(ch => s with { Text = ch.ToString() }));
        Assert.Equal(KeepAliveExpected, Run(bytes).Transactions.Select(Show));
    }

    [Fact]
    public void Http10ResponseWithoutLengthEndsAtTheClose()
    {
        var (flow, transactions) = Run([
            C("GET /old HTTP/1.0\r\n\r\n"),
            S("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>"),
            S("</html>"),
        ]);
        HttpTransaction t = Assert.Single(transactions);
        Assert.Equal("GET /old  200 req=0 resp=13 ka=False type=text/html", Show(t));
        Assert.Equal("1.0", t.Version);
        Assert.Equal(false, flow.AppDetails()["keep_alive"]);
    }

    [Fact]
    public void Http10KeepAliveNeedsBothSidesToAskForIt()
    {
        var (_, transactions) = Run([
            C("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
            S("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"),
        ]);
        Assert.True(Assert.Single(transactions).KeepAlive);
    }

    [Fact]
    public void WebSocketUpgradeIsRecognisedAndItsFramesCounted()
    {
        var (flow, transactions) = Run([
            C("GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
            S("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi"),
            C("\x81\x85\x01\x02\x03\x04abcde\x81\x80\x01\x02\x03\x04"),
            S("\x82\x7e\x00\x03xyz"),
        ]);
        HttpTransaction t = Assert.Single(transactions);
        Assert.Equal(101, t.Status);
        Assert.True(t.WebSocket);
        Assert.Equal(true, flow.AppDetails()["websocket"]);
        Assert.Equal(4L, flow.AppDetails()["websocket_frames"]);
    }

    [Fact]
    public void RequestsWithoutAnswersAndAnswersWithoutRequestsAreStillReported()
    {
        var (_, unanswered) = Run([C("GET /lost HTTP/1.1\r\nHost: h\r\n\r\n")]);
        Assert.Null(Assert.Single(unanswered).Status);

        var (flow, orphan) = Run([S("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")]);
        Assert.Equal("http", flow.App);
        Assert.Null(Assert.Single(orphan).Method);
    }

    [Fact]
    public void AuthorizationIsRedactedUnlessSecretsAreShown()
    {
        Segment[] conversation = [C("GET / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\nCookie: s=1\r\n\r\n"), S("HTTP/1.1 204 No Content\r\n\r\n")];
        Assert.Equal("Basic [redacted]", Assert.Single(Run(conversation).Transactions).Authorization);

        var h = new ProtocolHarness(showSecrets: true);
        h.C(conversation[0].Text);
        h.S(conversation[1].Text);
        h.End();
        Assert.Equal("Basic dXNlcjpwYXNz", Assert.Single(h.Records<HttpTransaction>()).Authorization);
    }

    [Fact]
    public void NonHttpOnPort80IsAViolationAndHttpOnAnotherPortIsFound()
    {
        var (junk, _) = Run([C("GET nothing at all\r\n\r\n")]);
        Assert.Equal("unknown", junk.App);

        var (other, transactions) = Run([C("OPTIONS * HTTP/1.1\r\n\r\n"), S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")], port: 9999);
        Assert.Equal("http", other.App);
        Assert.Single(transactions);
    }

    [Fact]
    public void AHeaderBlockOverTheLimitStopsParsingThatSideWithANote()
    {
        string huge = "X-Big: " + new string('a', 70 * 1024) + "\r\n";
        var (flow, transactions) = Run([
            C("GET /1 HTTP/1.1\r\n\r\n"),
            S("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
            C("GET /2 HTTP/1.1\r\n" + huge + "\r\n"),
        ]);
        Assert.Equal("http", flow.App);
        Assert.Contains("64 KiB", (string)flow.AppDetails()["note"]!);
        Assert.Single(transactions); // the second request never finished its head: nothing to report
    }

    [Fact]
    public void LostBytesInsideABodyOfKnownLengthDoNotLoseTheNextResponse()
    {
        var h = new ProtocolHarness();
        h.C("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n");
        h.S("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01");
        h.ServerLoses(5);
        h.S("789HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
        h.End();
        Assert.Equal(["GET /1  200 req=0 resp=10 ka=True type=", "GET /2  200 req=0 resp=1 ka=True type="], h.Records<HttpTransaction>().Select(Show));
    }
}
