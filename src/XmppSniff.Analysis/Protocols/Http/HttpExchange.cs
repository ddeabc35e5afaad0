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
}
