using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>
/// One direction of an HTTP/1.x connection: message heads line by line, then bodies framed by
/// Content-Length, chunked encoding (with trailers) or the close, then the next message
/// (pipelining). Consume-and-report: only whole lines are consumed, so a head may be split
/// anywhere; body bytes are counted and skipped. Bounded: a head over <see cref="MaxHeadBytes"/>
/// is malformed.
/// </summary>
internal sealed class HttpMessageParser(FlowSide side, IHttpMessageHandler handler, bool showSecrets)
{
    public const int MaxHeadBytes = 64 * 1024;

    /// <summary>Chunk-size lines and the CRLF after chunk data are short; past this the framing is lost.</summary>
    private const int MaxChunkLine = 4096;

    private const int NeedMore = -1;

    private enum State
    {
        Idle,
        StartLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        UntilClose,
        Tunnel,
        WebSocket,
        Lost,
    }

    private State _state;
    private HttpHead _head = new();
    private int _headBytes;
    private long _left;
    private long _body;
    private long _lastTime;
    private WebSocketReader? _webSocket;

    public FlowSide Side { get; } = side;

    /// <summary>WebSocket frames seen after an upgrade.</summary>
    public long WebSocketFrames => _webSocket?.Frames ?? 0;

    /// <summary>Bytes carried after CONNECT or an upgrade to something other than WebSocket.</summary>
    public long TunnelBytes { get; private set; }

    public bool IsLost => _state == State.Lost;

    public int Consume(ReadOnlySpan<byte> data, long time)
    {
        _lastTime = time;
        int used = 0;
        while (used < data.Length)
        {
            int step = Step(data[used..], time);
            if (step == NeedMore) break;
            used += step;
        }
        return used;
    }

    /// <summary>Bytes of this side were lost: skipped inside a body of known size, otherwise the framing is lost.</summary>
    public void Gap(long length)
    {
        switch (_state)
        {
            case State.Body or State.ChunkData when _left >= length:
                _left -= length;
                _body += length;
                if (_left == 0)
                {
                    if (_state == State.Body) EndMessage(_lastTime);
                    else _state = State.ChunkEnd;
                }
                break;
            case State.UntilClose:
                _body += length;
                break;
            case State.Tunnel:
                TunnelBytes += length;
                break;
            case State.Lost:
                break;
            default:
                _state = State.Lost;
                handler.Malformed(this, $"{length} bytes missing from the capture");
                break;
        }
    }

    /// <summary>The connection closed: a body delimited by the close ends here.</summary>
    public void Close(long time)
    {
        if (_state == State.UntilClose) EndMessage(time);
    }

    /// <summary>The other side switched the connection (101, CONNECT 2xx): what follows on this side is no longer HTTP/1.x.</summary>
    public void SwitchTo(HttpBodyKind kind)
    {
        if (_state == State.Lost) return;
        _state = kind == HttpBodyKind.WebSocket ? State.WebSocket : State.Tunnel;
        if (kind == HttpBodyKind.WebSocket) _webSocket ??= new WebSocketReader();
    }

    private int Step(ReadOnlySpan<byte> data, long time)
    {
        switch (_state)
        {
            case State.Idle:
                if (data[0] is (byte)'\r' or (byte)'\n') return 1; // stray CRLF between messages (RFC 9112 §2.2)
                _state = State.StartLine;
                _head = new HttpHead();
                _headBytes = 0;
                handler.MessageStarted(this, time);
                return 0;
            case State.StartLine or State.Headers or State.Trailers:
                return HeadLine(data, time);
            case State.Body or State.ChunkData:
            {
                int take = (int)Math.Min(_left, data.Length);
                _left -= take;
                _body += take;
                handler.BodyData(this, data[..take]);
                if (_left == 0)
                {
                    if (_state == State.Body) EndMessage(time);
                    else _state = State.ChunkEnd;
                }
                return take;
            }
            case State.ChunkSize or State.ChunkEnd:
                return ChunkLine(data, time);
            case State.UntilClose:
                _body += data.Length;
                handler.BodyData(this, data);
                return data.Length;
            case State.WebSocket:
            {
                int used = _webSocket!.Consume(data, out ReadOnlySpan<byte> text);
                if (!text.IsEmpty) handler.WebSocketText(this, text);
                return used;
            }
            case State.Tunnel:
                TunnelBytes += data.Length;
                return data.Length;
            default:
                return data.Length;
        }
    }

    private int HeadLine(ReadOnlySpan<byte> data, long time)
    {
        int length = ReadLine(data, out ReadOnlySpan<byte> line);
        if (length == NeedMore)
        {
            if (_headBytes + data.Length > MaxHeadBytes) Fail($"header block over {MaxHeadBytes / 1024} KiB");
            return _state == State.Lost ? data.Length : NeedMore;
        }
        _headBytes += length;
        if (_headBytes > MaxHeadBytes)
        {
            Fail($"header block over {MaxHeadBytes / 1024} KiB");
            return length;
        }
        switch (_state)
        {
            case State.StartLine:
                bool ok = Side == FlowSide.Client ? _head.ParseRequestLine(line) : _head.ParseStatusLine(line);
                if (ok) _state = State.Headers;
                else Fail(Side == FlowSide.Client ? "not an HTTP/1.x request line" : "not an HTTP/1.x status line");
                break;
            case State.Headers when line.IsEmpty:
                Begin(handler.HeadEnded(this, _head, time), time);
                break;
            case State.Headers:
                if (line[0] is not ((byte)' ' or (byte)'\t')) _head.AddHeader(line, showSecrets); // folded lines are obsolete (RFC 9112 §5.2): skipped
                break;
            case State.Trailers when line.IsEmpty:
                EndMessage(time);
                break;
        }
        return length;
    }

    private int ChunkLine(ReadOnlySpan<byte> data, long time)
    {
        int length = ReadLine(data, out ReadOnlySpan<byte> line);
        if (length == NeedMore)
        {
            if (data.Length > MaxChunkLine) Fail("chunk-size line too long");
            return _state == State.Lost ? data.Length : NeedMore;
        }
        if (_state == State.ChunkEnd)
        {
            if (line.IsEmpty) _state = State.ChunkSize;
            else Fail("chunk data longer than its size");
        }
        else if (!HttpSyntax.TryParseChunkSize(line, out long size)) Fail("bad chunk size");
        else if (size == 0)
        {
            _state = State.Trailers;
            _headBytes = 0;
        }
        else
        {
            _left = size;
            _state = State.ChunkData;
        }
        return length;
    }

    private void Begin(HttpBody body, long time)
    {
        _body = 0;
        switch (body.Kind)
        {
            case HttpBodyKind.Length when body.Length > 0:
                _left = body.Length;
                _state = State.Body;
                break;
            case HttpBodyKind.Chunked:
                _state = State.ChunkSize;
                break;
            case HttpBodyKind.UntilClose:
                _state = State.UntilClose;
                break;
            case HttpBodyKind.Tunnel or HttpBodyKind.WebSocket:
                EndMessage(time);
                SwitchTo(body.Kind);
                break;
            default:
                EndMessage(time);
                break;
        }
    }

    private void EndMessage(long time)
    {
        _state = State.Idle;
        handler.MessageEnded(this, _body, time);
    }

    private void Fail(string problem)
    {
        _state = State.Lost;
        handler.Malformed(this, problem);
    }

    /// <summary>Length of the line including its LF (a CR before it is dropped from <paramref name="line"/>), or NeedMore.</summary>
    private static int ReadLine(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> line)
    {
        int lf = data.IndexOf((byte)'\n');
        if (lf < 0)
        {
            line = default;
            return NeedMore;
        }
        line = data[..lf];
        if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
        return lf + 1;
    }
}
