namespace XmppSniff.Tests;

/// <summary>
/// `xmppsniff http --format jsonl` over the HTTP captures, compared with checked-in baselines
/// (Golden/*.http.jsonl). Set XMPPSNIFF_UPDATE_GOLDEN=1 to rewrite them.
/// </summary>
/// <remarks>
/// Checked once by hand against tshark 4.0.17: on both captures the transactions (stream, method,
/// URI, version, status, Content-Length, Content-Type, Connection) are the ones
/// `tshark -r F -Y http.request` and `-Y http.response` list, in the same order: 7 on
/// http-python-curl.pcap (the HTTP/1.0 request, the Connection: close ones, the POST answered 501
/// and the 404) and 5 pipelined on one keep-alive connection in the Mozilla capture. Later
/// captures/xmpp-bosh.pcap: 6 POST /http-bind, all 200, text/xml, one keep-alive connection.
/// captures/http-auth-cookie.pcap: 4 GETs on 4 connections (200, 200, 404, 200), as tshark lists them;
/// the Basic and Bearer credentials redacted.
/// </remarks>
public class GoldenHttpTests
{
    [Theory]
    [InlineData("captures/http-python-curl.pcap")]
    [InlineData("captures/real/http_keepalive_pipelined_mozilla.zeek.pcap")]
    [InlineData("captures/xmpp-bosh.pcap")]
    [InlineData("captures/xmpp-websocket.pcap")]
    [InlineData("captures/http-auth-cookie.pcap")]
    public void TransactionsMatchTheBaseline(string capture) => Golden.Check("http", capture);
}
