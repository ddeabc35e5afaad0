namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>One request and its response while they are on the wire; becomes an HttpTransaction when done.</summary>
internal sealed class HttpExchange(long requestTime)
{
    public long RequestTime = requestTime;
    public HttpHead? Request;
    public long RequestBody;
    public long ResponseStart = -1;
    public HttpHead? Response;
    public long ResponseBody;
    public long ResponseEnd = -1;

    /// <summary>The bodies of a BOSH exchange (XEP-0124), kept to hand their stanzas to the XMPP analyzer.</summary>
    public Bosh.BoshBodies? Bosh;
}
