using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>
/// Pairs the requests and responses of one HTTP/1.x connection, in order (pipelining), and emits
/// one <see cref="HttpTransaction"/> per exchange through the flow's output. A connection whose
/// first bytes are not HTTP is a violation; later damage is noted and the rest of that side skipped.
/// </summary>
internal sealed class HttpAnalyzer : IStreamAnalyzer, IHttpMessageHandler
{
    /// <summary>Requests waiting for their response; a client that never gets answers cannot grow it further.</summary>
    private const int MaxPending = 1024;

    private readonly Flow _flow;
    private readonly HttpMessageParser _client;
    private readonly HttpMessageParser _server;
    private readonly Queue<HttpExchange> _pending = new();
    private HttpExchange? _requesting;
    private HttpExchange? _responding;
    private long _requests;
    private long _responses;
    private bool _lastKeepAlive;
    private bool _webSocket;
    private bool _interim;
    private string? _note;
    private StreamPosition _clientAt, _serverAt;

    /// <summary>XMPP over WebSocket (RFC 7395): the text messages of an upgrade to the "xmpp" subprotocol.</summary>
    private Xmpp.XmppAnalyzer? _xmpp;

    public HttpAnalyzer(Flow flow)
    {
        _flow = flow;
        _client = new HttpMessageParser(FlowSide.Client, this, flow.Output.ShowSecrets);
        _server = new HttpMessageParser(FlowSide.Server, this, flow.Output.ShowSecrets);
    }

    public string? Violation { get; private set; }

    public int Consume(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
    {
        if (from == FlowSide.Client) _clientAt = at;
        else _serverAt = at;
        return (from == FlowSide.Client ? _client : _server).Consume(data, at.Time);
    }

    public void Gap(FlowSide from, long length)
    {
        (from == FlowSide.Client ? _client : _server).Gap(length);
        _xmpp?.Gap(from, length);
    }

    public void End(FlowRecord record)
    {
        _server.Close(record.End);
        if (_responding is not null) Emit(_responding);
        while (_pending.TryDequeue(out HttpExchange? unanswered)) Emit(unanswered);
        _responding = null;
        _xmpp?.End(record);
    }

    public IReadOnlyDictionary<string, object?> Describe()
    {
        var details = new Dictionary<string, object?>
        {
            ["requests"] = _requests,
            ["responses"] = _responses,
            ["keep_alive"] = _requests > 1 || (_requests == 1 && _lastKeepAlive),
            ["websocket"] = _webSocket,
        };
        if (_webSocket) details["websocket_frames"] = _client.WebSocketFrames + _server.WebSocketFrames;
        if (_xmpp is not null) details["xmpp"] = _xmpp.Describe();
        if (_note is not null) details["note"] = _note;
        return details;
    }

    public void MessageStarted(HttpMessageParser parser, long time)
    {
        if (parser.Side == FlowSide.Client)
        {
            _requesting = new HttpExchange(time);
            if (_pending.Count < MaxPending) _pending.Enqueue(_requesting);
            return;
        }
        // The first byte of a response (or of a 1xx before it) answers the oldest open request.
        if (_responding is null && !_pending.TryDequeue(out _responding)) _responding = new HttpExchange(time);
        if (_responding.ResponseStart < 0) _responding.ResponseStart = time;
    }

    public HttpBody HeadEnded(HttpMessageParser parser, HttpHead head, long time)
    {
        if (parser.Side == FlowSide.Client)
        {
            _requests++;
            if (_requesting is not null)
            {
                _requesting.Request = head;
                if (Bosh.BoshBodies.IsBoshRequest(head.Method, head.Target, head.ContentType)) _requesting.Bosh = new Bosh.BoshBodies();
            }
            if (head.Chunked) return new HttpBody(HttpBodyKind.Chunked);
            return new HttpBody(HttpBodyKind.Length, head.ContentLength ?? 0); // a request without length has no body
        }

        HttpExchange exchange = _responding!;
        HttpHead? request = exchange.Request;
        if (exchange.Bosh is not null) exchange.Bosh.RequestAt = _clientAt;
        _interim = head.Status is >= 100 and < 200 && head.Status != 101;
        if (_interim) return new HttpBody(HttpBodyKind.None); // 100 Continue: the real response follows
        _responses++;
        exchange.Response = head;

        if (head.Status == 101 || (request?.Method == "CONNECT" && head.Status is >= 200 and < 300))
        {
            bool webSocket = head.Status == 101 && (head.Upgrade ?? request?.Upgrade)?.Contains("websocket", StringComparison.OrdinalIgnoreCase) == true;
            _webSocket |= webSocket;
            if (webSocket && IsXmpp(head.WebSocketProtocol ?? request?.WebSocketProtocol))
                _xmpp ??= new Xmpp.XmppAnalyzer(_flow.Id, _flow.Client, _flow.Server, e => _flow.Output.Emit(e), Xmpp.XmppOptions.For(_flow.Output));
            HttpBodyKind kind = webSocket ? HttpBodyKind.WebSocket : HttpBodyKind.Tunnel;
            _client.SwitchTo(kind);
            return new HttpBody(kind);
        }
        if (request?.Method == "HEAD" || head.Status is 204 or 304 || head.Status < 200) return new HttpBody(HttpBodyKind.None);
        if (head.Chunked) return new HttpBody(HttpBodyKind.Chunked);
        if (head.ContentLength is { } length && !head.BadContentLength) return new HttpBody(HttpBodyKind.Length, length);
        return new HttpBody(HttpBodyKind.UntilClose);
    }

    public void BodyData(HttpMessageParser parser, ReadOnlySpan<byte> data)
    {
        Bosh.BoshBodies? bodies = parser.Side == FlowSide.Client ? _requesting?.Bosh : _interim ? null : _responding?.Bosh;
        if (bodies is not null) Bosh.BoshBodies.Append(parser.Side == FlowSide.Client ? bodies.Request : bodies.Response, data);
    }

    public void WebSocketText(HttpMessageParser parser, ReadOnlySpan<byte> text)
    {
        if (_xmpp is null) return;
        if (parser.Side == FlowSide.Client) _xmpp.Consume(FlowSide.Client, text, _clientAt);
        else _xmpp.Consume(FlowSide.Server, text, _serverAt);
    }

    /// <summary>The server chose (or the client offered only) the "xmpp" subprotocol of RFC 7395.</summary>
    private static bool IsXmpp(string? protocols) =>
        protocols is not null && protocols.Split(',', StringSplitOptions.TrimEntries).Contains("xmpp", StringComparer.OrdinalIgnoreCase);

    public void MessageEnded(HttpMessageParser parser, long bodyBytes, long time)
    {
        if (parser.Side == FlowSide.Client)
        {
            if (_requesting is not null) _requesting.RequestBody = bodyBytes;
            return;
        }
        if (_interim)
        {
            _interim = false;
            return;
        }
        HttpExchange exchange = _responding!;
        exchange.ResponseBody = bodyBytes;
        exchange.ResponseEnd = time;
        _responding = null;
        if (exchange.Bosh is { } bosh)
        {
            _flow.Output.Shared<Bosh.BoshSessions>().Exchange(_flow, bosh, _serverAt);
            bosh.Request.Clear();
            bosh.Response.Clear();
        }
        Emit(exchange);
    }

    public void Malformed(HttpMessageParser parser, string problem)
    {
        if (_requests == 0 && _responses == 0) Violation = problem;
        else _note ??= $"{(parser.Side == FlowSide.Client ? "client" : "server")}: {problem}; the rest of that side was skipped";
    }

    /// <summary>HTTP/1.1 stays open unless told to close; HTTP/1.0 only when it asks for keep-alive (RFC 9112 §9.3).</summary>
    private static bool Persistent(HttpHead? head) => head is null || head.Version == "1.1" || head.ConnectionKeepAlive;

    private void Emit(HttpExchange x)
    {
        if (x.Request is null && x.Response is null) return; // a head cut off before its first line ended
        HttpHead? request = x.Request, response = x.Response;
        bool close = request?.ConnectionClose == true || response?.ConnectionClose == true;
        HttpHead decides = (response ?? request)!;
        bool keepAlive = !close && Persistent(request) && Persistent(response);
        _lastKeepAlive = keepAlive;
        _flow.Output.Emit(new HttpTransaction
        {
            Flow = _flow.Id,
            Client = _flow.Client,
            Server = _flow.Server,
            Time = request is null && x.ResponseStart >= 0 ? x.ResponseStart : x.RequestTime,
            Method = request?.Method,
            Uri = request?.Target,
            Host = request?.Host,
            Version = decides.Version,
            Status = response?.Status,
            Reason = response?.Reason,
            RequestHeaders = request?.HeaderCount ?? 0,
            ResponseHeaders = response?.HeaderCount ?? 0,
            ContentLength = response?.ContentLength,
            TransferEncoding = response?.TransferEncoding,
            ContentEncoding = response?.ContentEncoding,
            ContentType = response?.ContentType,
            RequestBytes = x.RequestBody,
            ResponseBytes = x.ResponseBody,
            TtfbMs = request is not null && x.ResponseStart >= 0 ? (x.ResponseStart - x.RequestTime) / 1e6 : null,
            DurationMs = request is not null && x.ResponseEnd >= 0 ? (x.ResponseEnd - x.RequestTime) / 1e6 : null,
            KeepAlive = keepAlive,
            WebSocket = response?.Status == 101 && _webSocket,
            Authorization = request?.Authorization,
        });
    }
}
