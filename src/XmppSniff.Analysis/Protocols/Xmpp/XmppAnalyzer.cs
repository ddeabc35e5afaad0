using System.Globalization;
using System.Text;
using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Decodes both directions of one XMPP connection into <see cref="XmppElement"/> records, one per
/// top-level element, delivered to the callback as each completes. Consume-and-report: an element
/// still incomplete is left unconsumed (the host holds it) unless it outgrows the limit, then it is
/// skipped and reported truncated. Never throws on bad bytes; skips and reports them.
/// </summary>
public sealed partial class XmppAnalyzer : IStreamAnalyzer
{
    private readonly FlowEnds _ends;
    private readonly Action<XmppElement>? _emit;
    private readonly XmppOptions _options;
    private readonly XmlTokenizerOptions _whole;
    private readonly XmlTokenizerOptions _partial;
    private readonly XmppDirection _c;
    private readonly XmppDirection _s;
    private readonly Dictionary<string, object?> _learned = [];

    /// <summary>After STARTTLS's &lt;proceed/&gt; both directions are TLS: handed to the TLS analyzer.</summary>
    private Tls.TlsAnalyzer? _tls;
    private long _messages, _presences, _iqs, _nonzas;
    private RoundTrips _iqTrips;

    public XmppAnalyzer(long flowId, Endpoint client, Endpoint server, Action<XmppElement>? emit, XmppOptions? options = null)
    {
        _ends = new FlowEnds(flowId, client, server);
        _emit = emit;
        _options = options ?? XmppOptions.Default;
        _whole = new XmlTokenizerOptions { MaxDepth = _options.MaxDepth };
        _partial = _whole with { PartialText = true };
        _c = new XmppDirection(_options.Copies);
        _s = new XmppDirection(_options.Copies);
    }

    public XmppAnalyzer(Flow flow, Action<object>? emit, XmppOptions? options = null)
        : this(flow.Id, flow.Client, flow.Server, emit is null ? null : e => emit(e), options)
    {
    }

    public string? Violation => null;

    public IReadOnlyDictionary<string, object?> Describe()
    {
        _learned["stanzas_message"] = _messages;
        _learned["stanzas_presence"] = _presences;
        _learned["stanzas_iq"] = _iqs;
        _learned["nonzas"] = _nonzas;
        // Which session's server was slow to answer, and what went unanswered (the notes name each one).
        _learned["iq_answered"] = _iqTrips.Count;
        _learned["iq_rtt_mean_ms"] = _iqTrips.MeanMs is { } mean ? Math.Round(mean, 3) : null;
        _learned["iq_rtt_max_ms"] = _iqTrips.MaxMs is { } max ? Math.Round(max, 3) : null;
        _learned["iq_unanswered"] = (long)_c.PendingIqs.Count + _s.PendingIqs.Count + _c.DroppedIqs + _s.DroppedIqs;
        if (_tls is not null) _learned["tls"] = _tls.Describe();
        DescribeCompression();
        return _learned;
    }

    /// <summary>Bytes of <paramref name="side"/> held unread.</summary>
    internal int Holding(FlowSide side) => Dir(side).Holding;

    private XmppDirection Dir(FlowSide side) => side == FlowSide.Client ? _c : _s;

    private static FlowSide Other(FlowSide side) => side == FlowSide.Client ? FlowSide.Server : FlowSide.Client;

    /// <summary>
    /// Takes all of <paramref name="data"/>: what is not read yet (an unfinished element, the rest of a TLS
    /// record) the analyzer holds itself, so that a large element is gathered once, into its own copy.
    /// </summary>
    public int Consume(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
    {
        XmppDirection d = Dir(from);
        d.LastTime = at.Time;
        ReadThrough(from, d.Held, data, at, Layer.Connection);
        return data.Length;
    }

    /// <summary>Where bytes read through <see cref="ReadThrough"/> come from.</summary>
    private enum Layer { Connection, Decrypted, Inflated }

    /// <summary>The connection's own bytes: XML, or after STARTTLS the TLS records.</summary>
    private int ReadConnection(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at, HeldBytes? source)
    {
        XmppDirection d = Dir(from);
        if (d.Encrypted) return _tls?.Consume(from, data, at) ?? data.Length;
        if (d.Stopped && d.Inflating is null) return data.Length;
        int consumed = ConsumePlaintext(from, data, at, source);
        // TLS may begin right after <proceed/> in the same offer: its records go to the TLS analyzer now.
        if (d.Encrypted && _tls is not null && consumed < data.Length) consumed += _tls.Consume(from, data[consumed..], at);
        return consumed;
    }

    /// <summary>
    /// Reads bytes of one layer (the connection's, TLS records decrypted, zlib inflated): what the reader
    /// does not take waits in <paramref name="held"/>, bounded, and is read again with the next bytes.
    /// </summary>
    private void ReadThrough(FlowSide from, HeldBytes held, ReadOnlySpan<byte> data, StreamPosition at, Layer layer)
    {
        if (held.Total == 0)
        {
            int used = Read(data, null);
            if (used < data.Length) held.Append(data[used..]);
        }
        else if (layer != Layer.Connection || !Deferred(Dir(from), data))
        {
            held.Gather(data.Length);
            held.Append(data);
            held.Consume(Read(held.Span, held));
        }
        if (held.Total > Detection.AnalyzerHost.MaxHeldBytes)
        {
            long dropped = held.Total;
            held.Clear();
            if (layer == Layer.Connection) Gap(from, dropped);
            else XmlGap(from, dropped);
        }

        int Read(ReadOnlySpan<byte> bytes, HeldBytes? source) => layer switch
        {
            Layer.Connection => ReadConnection(from, bytes, at, source),
            Layer.Decrypted => ConsumePlaintext(from, bytes, at, source),
            _ => ConsumeXml(from, bytes, at, source),
        };
    }

    /// <summary>
    /// More text of an element paused in text, noted rather than copied when the capture can give it back (see
    /// <see cref="HeldBytes.Defer"/>): reading it now would only search it for a '&lt;' it does not hold, so the
    /// tokenizer goes on where it would have stopped, and the element is gathered when its markup comes.
    /// </summary>
    private bool Deferred(XmppDirection d, ReadOnlySpan<byte> data)
    {
        XmlTokenizerState state = d.Tokenizer;
        bool pausedInText = d.InElement && !d.Skipping && !d.Stopped && !d.Encrypted && d.Inflating is null
            && !state.Resyncing && state.TagAt == 0 && state.TextSearched > 0 && d.Scanned + state.TextSearched == d.Held.Total;
        if (!pausedInText || _options.Rereadable is not { } source) return false;
        int total = d.Held.Total + data.Length;
        if (total > _options.MaxElementBytes || total > Detection.AnalyzerHost.MaxHeldBytes || data.Contains((byte)'<')) return false;
        if (!d.Held.Defer(data, source)) return false;
        // What reading held and data together would have left: the text searched to its end, the element carried whole.
        d.Tokenizer.TextSearched += data.Length;
        d.Carried = total;
        return true;
    }

    /// <summary>
    /// The tokens and open names of an element that starts in the offer being read: lists of the thread's
    /// own, warm in its cache. A direction's lists, one pair among those of thousands of connections and
    /// cold by the time its next element starts, take an element over only when it is left unfinished,
    /// once, and keep it until it ends (perf: their first touch at every element start took half of this
    /// method's time).
    /// </summary>
    private sealed class ElementWork
    {
        public readonly List<XmlToken> Tokens = [];
        public readonly List<int> OpenNames = [];
    }

    [ThreadStatic] private static ElementWork? t_work;

    /// <summary>Reads XML: the connection's own bytes, or after STARTTLS the decrypted ones.</summary>
    /// <param name="source">What holds <paramref name="data"/>, if something does: an element at its front may become its copy.</param>
    private int ConsumeXml(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at, HeldBytes? source)
    {
        XmppDirection d = Dir(from);
        ElementWork work = t_work ?? new ElementWork();
        t_work = null; // a read nested in this one gets lists of its own
        bool carriedOver = d.InElement || d.Skipping;
        List<XmlToken> tokens = carriedOver ? d.ElementTokens : work.Tokens;
        List<int> openNames = carriedOver ? d.OpenNames : work.OpenNames;
        d.LastTime = at.Time;
        int carried = Math.Min(d.Carried, data.Length);
        int elementStart = 0;
        int consumed = 0;
        int offset = Math.Min(d.Scanned, data.Length);
        bool again = true;
        while (again)
        {
            again = false;
            var tk = new XmlTokenizer(data[offset..], d.Tokenizer, d.Skipping ? _partial : _whole);
            while (!d.Stopped && tk.Read())
            {
                XmlToken t = tk.Token;
                // Counted once per element: a skip continued in the next offer repeats the reason.
                if (t.Violation == XmlViolation.TooDeep && (d.InElement || d.Skipping) && _options.Counters is { } counters) Interlocked.Increment(ref counters.ElementsTooDeep);
                int start = offset + t.Start, end = offset + t.End;
                ReadOnlySpan<byte> window = data[offset..];
                if (t.Kind != XmlTokenKind.Violation && d.SkipSize > 0) FlushSkip(from, d, at);
                if ((d.InElement || d.Skipping) && t.Kind is XmlTokenKind.StartTag or XmlTokenKind.EndTag && IsPrefixedStreamRoot(window.Slice(t.NameStart, t.NameLength)))
                {
                    // A stream header or close cannot be nested: whatever element was open was never closed. End it; read this one at the top.
                    if (d.Skipping) EndSkip(from, d, at, "cut by a stream " + (t.Kind == XmlTokenKind.StartTag ? "header" : "close"));
                    else Broken(from, d, data[elementStart..start], at, XmlViolation.Malformed);
                    d.InElement = false;
                }
                else if ((d.InElement || d.Skipping) && !Nests(openNames, window, t))
                {
                    // A mismatched end tag: depth counting alone would stay inside this element for good.
                    // It is the element's last byte either way, as when the element arrives whole.
                    if (d.Skipping)
                    {
                        d.SkippedSize += t.Length;
                        EndSkip(from, d, at, "not well-formed");
                    }
                    else Broken(from, d, data[elementStart..end], at, XmlViolation.Malformed);
                    d.InElement = false;
                    tk.ResetToStreamLevel(Level(d), resync: true);
                    continue;
                }
                if (d.Skipping)
                {
                    if (t.Violation is XmlViolation.Malformed or XmlViolation.TooDeep)
                    {
                        // The tokenizer went back to the stream level: the oversized element ends here.
                        EndSkip(from, d, at, "not well-formed");
                        AddSkip(d, t.Violation, data[start..end], FrameAt(d, carried, start, at));
                        continue;
                    }
                    d.SkippedSize += t.Length;
                    if (t.Kind == XmlTokenKind.EndTag && t.Depth == Level(d)) EndSkip(from, d, at, null);
                    continue;
                }
                if (d.InElement) tokens.Add(Placed(t, offset - elementStart));
                switch (t.Kind)
                {
                    case XmlTokenKind.StartTag when !d.InElement:
                        if (IsStreamRoot(window.Slice(t.NameStart, t.NameLength)))
                        {
                            StreamOpen(from, d, window, t, FrameAt(d, carried, start, at), at);
                            tk.ResetToStreamLevel(1, resync: false); // also a restart the analyzer did not foresee
                            break;
                        }
                        d.InElement = true;
                        (tokens, openNames) = (work.Tokens, work.OpenNames);
                        openNames.Clear();
                        if (!t.IsEmptyElement) openNames.Add(NameHash(window.Slice(t.NameStart, t.NameLength)));
                        elementStart = start;
                        tokens.Clear();
                        tokens.Add(Placed(t, offset - elementStart));
                        d.ElementFirstFrame = FrameAt(d, carried, start, at);
                        if (t.IsEmptyElement) Complete(from, d, tokens, data[start..end], null, at, ref tk);
                        break;
                    case XmlTokenKind.EndTag when !d.InElement:
                        if (IsStreamRoot(window.Slice(t.NameStart, t.NameLength)))
                        {
                            StreamClose(from, d, data[start..end], FrameAt(d, carried, start, at), at);
                            tk.ResetToStreamLevel(0, resync: false); // also when it closed an element left open
                        }
                        else
                        {
                            // A stray end tag: the tokenizer stepped out of the stream; put it back and skip to the next element.
                            AddSkip(d, XmlViolation.Malformed, data[start..end], FrameAt(d, carried, start, at));
                            tk.ResetToStreamLevel(Level(d), resync: true);
                        }
                        break;
                    case XmlTokenKind.EndTag when t.Depth == Level(d):
                        Complete(from, d, tokens, data[elementStart..end], elementStart == 0 ? source : null, at, ref tk);
                        break;
                    case XmlTokenKind.Violation:
                        if (d.InElement && t.Violation is XmlViolation.Malformed or XmlViolation.TooDeep)
                        {
                            Broken(from, d, data[elementStart..start], at, t.Violation);
                            d.InElement = false;
                        }
                        if (!d.InElement && d.SkipSize > 0 && d.SkipKind != t.Violation) FlushSkip(from, d, at);
                        if (!d.InElement) AddSkip(d, t.Violation, data[start..end], FrameAt(d, carried, start, at));
                        break;
                }
            }
            d.Tokenizer = tk.State;
            int scannedTo = offset + tk.Consumed;
            consumed = d.Stopped ? (d.Encrypted || d.Inflating is not null ? scannedTo : data.Length) : d.InElement ? elementStart : scannedTo;
            if (d.Stopped) break;

            // Bounds: an element (or an unterminated construct) may not hold more than the limit.
            int held = data.Length - consumed;
            if (held > _options.MaxElementBytes)
            {
                if (d.InElement && !d.Skipping)
                {
                    BeginSkip(from, d, data[elementStart..scannedTo], at);
                    consumed = scannedTo;
                    d.InElement = false;
                }
                else
                {
                    if (d.Skipping) EndSkip(from, d, at, "a tag larger than the limit");
                    d.Tokenizer.Resyncing = true;
                    d.Tokenizer.ForgetPosition(); // reading moves on by a byte
                    AddSkip(d, XmlViolation.Malformed, data.Slice(consumed, 1), at.Frame);
                    consumed++;
                    scannedTo = consumed;
                }
                offset = scannedTo;
                again = true;
            }
            else offset = scannedTo;
        }
        d.Scanned = d.InElement ? offset - consumed : 0;
        d.CarriedFrame = consumed < carried ? d.CarriedFrame : at.Frame;
        d.Carried = data.Length - consumed;
        if ((d.InElement || d.Skipping) && tokens != d.ElementTokens)
        {
            // Left unfinished: the direction keeps it for the next offer.
            d.ElementTokens.Clear();
            if (d.InElement) d.ElementTokens.AddRange(tokens); // a skipped element's tokens are not needed
            d.OpenNames.Clear();
            d.OpenNames.AddRange(openNames);
        }
        t_work = work;
        return consumed;
    }

    private static int Level(XmppDirection d) => d.StreamOpen ? 1 : 0;

    /// <summary>The token moved by <paramref name="shift"/> bytes: from the tokenizer's window to the element's first byte.</summary>
    private static XmlToken Placed(XmlToken t, int shift) =>
        t with { Start = t.Start + shift, End = t.End + shift, NameStart = t.NameStart + shift, AttributesStart = t.AttributesStart + shift };

    /// <summary>Follows start and end tags inside a top-level element; false for an end tag that does not close the innermost open one.</summary>
    private static bool Nests(List<int> openNames, ReadOnlySpan<byte> window, XmlToken t)
    {
        if (t.Kind == XmlTokenKind.StartTag)
        {
            if (!t.IsEmptyElement) openNames.Add(NameHash(window.Slice(t.NameStart, t.NameLength)));
            return true;
        }
        if (t.Kind != XmlTokenKind.EndTag || openNames.Count == 0) return true;
        int open = openNames[^1];
        openNames.RemoveAt(openNames.Count - 1);
        return open == NameHash(window.Slice(t.NameStart, t.NameLength));
    }

    /// <summary>A cheap hash of a name (see <see cref="XmlStringCache.Hash"/>): two names that differ collide only by chance.</summary>
    private static int NameHash(ReadOnlySpan<byte> name) => (int)XmlStringCache.Hash(name);

    private static long FrameAt(XmppDirection d, int carried, int position, StreamPosition at) =>
        position < carried ? d.CarriedFrame : at.Frame;

    /// <summary>`prefix:stream`: the stream root as sent in practice; an unprefixed `stream` may be a payload (Jingle's msid).</summary>
    private static bool IsPrefixedStreamRoot(ReadOnlySpan<byte> qname) =>
        qname.EndsWith("stream"u8) && qname.IndexOf((byte)':') > 0 && IsStreamRoot(qname); // most names fail the first, cheapest test

    private static bool IsStreamRoot(ReadOnlySpan<byte> qname)
    {
        int colon = qname.IndexOf((byte)':');
        return qname[(colon + 1)..].SequenceEqual("stream"u8);
    }

    public void Gap(FlowSide from, long length)
    {
        XmppDirection d = Dir(from);
        d.Held.Clear();
        if (d.Inflating is { } z && !d.Encrypted)
        {
            if (z.Failure is null) StopInflating(from, z, new StreamPosition(d.LastTime, d.CarriedFrame), $"{length} bytes were not captured");
            return;
        }
        if (d.Encrypted || d.Stopped)
        {
            _tls?.Gap(from, length); // when decrypting, the TLS analyzer passes the loss on to XmlGap
            return;
        }
        XmlGap(from, length);
    }

    private void XmlGap(FlowSide from, long length)
    {
        XmppDirection d = Dir(from);
        var at = new StreamPosition(d.LastTime, d.CarriedFrame);
        FlushSkip(from, d, at);
        if (d.Skipping) EndSkip(from, d, at, $"cut by {length} lost bytes");
        if (d.InElement) Note(from, at, d.ElementFirstFrame, "gap", $"an element was cut by {length} lost bytes and dropped", length, null);
        else Note(from, at, d.CarriedFrame, "gap", $"{length} bytes were not captured; resynchronising", length, null);
        d.InElement = false;
        d.Scanned = 0;
        d.Carried = 0;
        int level = Level(d);
        d.Tokenizer = new XmlTokenizerState { Depth = level, ResyncDepth = level, Resyncing = true };
    }

    public void End(FlowRecord record)
    {
        _tls?.End(record);
        foreach (FlowSide side in (FlowSide[])[FlowSide.Client, FlowSide.Server])
        {
            XmppDirection d = Dir(side);
            d.Held.Clear();
            var at = new StreamPosition(record.End, 0);
            FlushSkip(side, d, at);
            if (d.Skipping) EndSkip(side, d, at, "the connection ended inside it");
            if (d.InElement) Note(side, at, d.ElementFirstFrame, "incomplete", "the connection ended inside an element", d.Carried, null);
            int shown = 0;
            foreach (var (id, request) in d.PendingIqs)
            {
                if (shown++ == 1000) break;
                Emit(new XmppElement
                {
                    Ends = _ends, Direction = side, Time = request.Time,
                    FirstFrame = request.Frame, LastFrame = request.Frame, Kind = "note", Name = "unanswered-iq", Id = id,
                    Summary = $"no answer to {request.Summary} (id {id})",
                });
            }
        }
    }

    private void Emit(XmppElement element) => _emit?.Invoke(element);

    private void Note(FlowSide from, StreamPosition at, long firstFrame, string name, string summary, long size, Utf8Text? xml) =>
        Emit(new XmppElement
        {
            Ends = _ends, Direction = from, Time = at.Time,
            FirstFrame = firstFrame, LastFrame = at.Frame == 0 ? firstFrame : at.Frame, Kind = "note", Name = name,
            Summary = summary, Error = summary, Size = size, XmlUtf8 = xml,
        });

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}
