using System.Text;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>What happens when a top-level element is complete: a record, and what it changes in the session.</summary>
public sealed partial class XmppAnalyzer
{
    private static readonly string[] HeaderAttributes = ["from", "to", "id", "version", "xml:lang"];

    private void StreamOpen(FlowSide from, XmppDirection d, ReadOnlySpan<byte> window, XmlToken t, long firstFrame, StreamPosition at)
    {
        var problems = XmlText.Problems.None;
        XmlNode node = XmlTreeBuilder.StartTag(window, t, NamespaceScope.Xml, ref problems, out NamespaceScope scope);
        d.Scope = scope;
        d.StreamOpen = true;
        d.InElement = false;
        string? to = node.Attribute("to"), fromJid = node.Attribute("from");
        string? ns = scope.Lookup("");
        StringBuilder summary = HeaderSummary(from, node, "stream open", opens: true);
        if (ns is not null) summary.Append(" (").Append(ns).Append(')');
        if (scope.Lookup("db") == XmppNs.Dialback) summary.Append(" dialback");
        Emit(new XmppElement
        {
            Ends = _ends, Direction = from, Time = at.Time,
            FirstFrame = firstFrame, LastFrame = at.Frame, Kind = "stream-open", Name = node.LocalName, Namespace = node.Namespace,
            Id = node.Attribute("id"), From = fromJid, To = to, Summary = summary.ToString(), Size = t.Length,
            Error = problems == XmlText.Problems.None ? null : "bad characters in the stream header",
            XmlUtf8 = XmlText.Utf8(window[t.Start..t.End]),
        });
    }

    /// <summary>
    /// A stream header's summary, <paramref name="start"/> and then the header's attributes; an opening header names the
    /// session's domain (the client's `to`, else the server's `from`).
    /// </summary>
    private StringBuilder HeaderSummary(FlowSide from, XmlNode node, string start, bool opens)
    {
        if (opens && from == FlowSide.Client && node.Attribute("to") is { } to) _learned["domain"] = to;
        else if (opens && from == FlowSide.Server && node.Attribute("from") is { } fromJid) _learned.TryAdd("domain", fromJid);
        StringBuilder summary = XmppDescriber.Line(start);
        foreach (string a in HeaderAttributes)
            if (node.Attribute(a) is { } v) summary.Append(' ').Append(a).Append('=').Append(v);
        return summary;
    }

    private void StreamClose(FlowSide from, XmppDirection d, ReadOnlySpan<byte> bytes, long firstFrame, StreamPosition at)
    {
        d.StreamOpen = false;
        Emit(new XmppElement
        {
            Ends = _ends, Direction = from, Time = at.Time,
            FirstFrame = firstFrame, LastFrame = at.Frame, Kind = "stream-close", Name = "stream", Namespace = XmppNs.Streams,
            Summary = "stream close", Size = bytes.Length, XmlUtf8 = XmlText.Utf8(bytes),
        });
    }

    /// <summary>
    /// XMPP over WebSocket's stream header and end, &lt;open/&gt; and &lt;close/&gt; (RFC 7395 §3.3): whole elements of
    /// their own, read as any other, and shown as the stream's opening and closing.
    /// </summary>
    private void Framing(FlowSide from, XmppDirection d, XmlNode node, int size, Utf8Text xml, StreamPosition at)
    {
        bool open = node.LocalName == "open";
        string? to = node.Attribute("to"), fromJid = node.Attribute("from");
        StringBuilder summary = HeaderSummary(from, node, open ? "stream open" : "stream close", open);
        if (node.Attribute("see-other-uri") is { } uri) summary.Append(" see-other-uri=").Append(uri);
        summary.Append(" (WebSocket framing)");
        Emit(new XmppElement
        {
            Ends = _ends, Direction = from, Time = at.Time,
            FirstFrame = d.ElementFirstFrame, LastFrame = at.Frame, Kind = open ? "stream-open" : "stream-close", Name = node.LocalName,
            Namespace = node.Namespace, Id = node.Attribute("id"), From = fromJid, To = to, Summary = summary.ToString(), Size = size, XmlUtf8 = xml,
        });
    }

    /// <param name="held">What holds the element at its front, if something does: its array may become the copy.</param>
    private void Complete(FlowSide from, XmppDirection d, List<XmlToken> tokens, ReadOnlySpan<byte> bytes, HeldBytes? held, StreamPosition at, ref XmlTokenizer tk)
    {
        d.InElement = false;
        if (bytes.Length > _options.MaxElementBytes)
        {
            // Complete in one offer but over the limit: reported as if it had arrived in pieces.
            BeginSkip(from, d, bytes, at);
            EndSkip(from, d, at, null);
            return;
        }
        // One copy of the element: the tree's text, the body and the printed XML all refer to it.
        ReadOnlyMemory<byte> copy = held?.GiveFront(bytes.Length) ?? default;
        if (copy.IsEmpty) copy = ElementCopies.Copy(bytes, _options.Copies);
        XmlNodePool? pool = XmlNodePool.Lend();
        try
        {
            Describe(from, d, bytes.Length, copy, at, ref tk, XmlTreeBuilder.Build(copy, d.Scope, tokens, pool));
        }
        finally
        {
            pool?.Return();
        }
    }

    private void Describe(FlowSide from, XmppDirection d, int size, ReadOnlyMemory<byte> copy, StreamPosition at, ref XmlTokenizer tk, XmlTreeBuilder.Result result)
    {
        Utf8Text xml = result.InvalidUtf8 ? XmlText.Utf8(copy.Span) : new Utf8Text(copy);
        if (result.Root is not { } node)
        {
            Note(from, at, d.ElementFirstFrame, "malformed", "an element that could not be read", size, xml);
            return;
        }
        if (node.Namespace == XmppNs.Framing && node.LocalName is "open" or "close")
        {
            Framing(from, d, node, size, xml, at);
            return;
        }
        bool stanza = XmppDescriber.IsStanza(node);
        string summary = XmppDescriber.Summarize(node, _options.ShowSecrets);
        (double? rtt, string? answers) = (null, null);
        if (stanza) (rtt, answers) = Stanza(from, node, summary, at, ref summary);
        else Nonza(from, node, at, ref tk);

        Emit(new XmppElement
        {
            Ends = _ends, Direction = from, Time = at.Time,
            FirstFrame = d.ElementFirstFrame, LastFrame = at.Frame, Kind = stanza ? "stanza" : "nonza",
            Name = node.LocalName, Namespace = node.Namespace, IdUtf8 = node.AttributeUtf8("id"), Type = node.Attribute("type"),
            FromUtf8 = node.AttributeUtf8("from"), ToUtf8 = node.AttributeUtf8("to"), BodyUtf8 = XmppDescriber.Body(node), Summary = summary,
            RttMs = rtt, Answers = answers, Error = XmppDescriber.Error(node) ?? result.Error, Size = size,
            XmlUtf8 = _options.ShowSecrets ? xml : XmppRedaction.Redact(copy.Span, node) ?? xml,
        });
        if (!stanza && node.LocalName == "a" && node.Namespace.StartsWith("urn:xmpp:sm:", StringComparison.Ordinal)) CheckAck(from, node, at);
    }

    /// <summary>
    /// Counts, iq pairing and stream management bookkeeping for a stanza; for an answered iq, its round trip and what
    /// the request asked (see <see cref="Request"/>).
    /// </summary>
    private (double? Rtt, string? Answers) Stanza(FlowSide from, XmlNode node, string summaryIn, StreamPosition at, ref string summary)
    {
        XmppDirection d = Dir(from);
        if (d.StanzasSent is { } sent) d.StanzasSent = sent + 1;
        switch (node.LocalName)
        {
            case "message": _messages++; return default;
            case "presence": _presences++; return default;
        }
        _iqs++;
        string? id = node.Attribute("id");
        string? type = node.Attribute("type");
        if (id is null) return default;
        if (type is "get" or "set")
        {
            if (d.PendingIqs.Count < _options.MaxPendingIqs) d.PendingIqs[id] = (at.Time, summaryIn, at.Frame, Request(type, node));
            else d.DroppedIqs++;
            return default;
        }
        if (type is not ("result" or "error") || !Dir(Other(from)).PendingIqs.Remove(id, out var request)) return default;
        if (node.Children.Count == 0 || (type == "error" && node.Children.Count == 1)) summary += $" (answers {request.Summary})";
        if (request.Summary.Contains("bind") && node.Descendants().FirstOrDefault(n => n.LocalName == "jid") is { } jid) _learned["jid"] = jid.Text;
        double rtt = (at.Time - request.Time) / 1e6;
        _iqTrips = _iqTrips.With(rtt);
        return (rtt, request.Asks);
    }

    /// <summary>
    /// What an iq request asks, short enough to group its answers by: its type and its payloads' extension names
    /// ("get disco#info", "set bind"), or its type alone when it carries none.
    /// </summary>
    private static string Request(string type, XmlNode node)
    {
        string asks = type;
        foreach (XmlNode child in node.ChildSpan) asks += (asks.Length == type.Length ? " " : ",") + XmppExtensions.NameOf(child.Namespace);
        return asks;
    }

    /// <summary>The session changes nonzas cause: SASL outcome, restarts, STARTTLS, compression, stream management.</summary>
    private void Nonza(FlowSide from, XmlNode node, StreamPosition at, ref XmlTokenizer tk)
    {
        _nonzas++;
        XmppDirection d = Dir(from), other = Dir(Other(from));
        switch (node.Namespace, node.LocalName)
        {
            case (XmppNs.Sasl, "auth"):
                _learned["sasl_mechanism"] = node.Attribute("mechanism");
                break;
            case (XmppNs.Sasl, "success"):
                _learned["sasl"] = "success";
                // Both sides open a new stream (RFC 6120 §6.4.6).
                tk.ResetToStreamLevel(0, resync: false);
                d.StreamOpen = false;
                if (!other.InElement)
                {
                    other.StreamOpen = false;
                    other.Tokenizer = new XmlTokenizerState { SawDeclaration = other.Tokenizer.SawDeclaration };
                }
                break;
            case (XmppNs.Sasl, "failure"):
                _learned["sasl"] = "failure";
                break;
            case (XmppNs.Tls, "proceed"):
                // What follows is TLS, on both sides: the TLS analyzer reads the hellos.
                _learned["starttls"] = true;
                _tls = new Tls.TlsAnalyzer(_options.TlsKeys, () => new DecryptedXmpp(this), _options.TlsTap, _ends.Flow);
                d.Stopped = other.Stopped = true;
                d.Encrypted = other.Encrypted = true;
                break;
            case (XmppNs.Compression, "compressed"):
                // From here both sides' bytes are zlib streams, each opening a new XML stream inside.
                _learned["compressed"] = true;
                d.Stopped = other.Stopped = true;
                d.Inflating = new Inflation(_options.Copies);
                other.Inflating = new Inflation(_options.Copies);
                break;
        }
        if (node.Namespace.StartsWith("urn:xmpp:sm:", StringComparison.Ordinal))
        {
            switch (node.LocalName)
            {
                case "enable" or "enabled":
                    d.StanzasSent = 0;
                    break;
                case "resume" or "resumed":
                    d.StanzasSent = other.StanzasSent = null; // counts continue from the old session, which we may not have seen
                    break;
                case "r":
                    d.SentAtLastRequest = d.StanzasSent;
                    break;
            }
        }
    }

    /// <summary>XEP-0198: an &lt;a h=…/&gt; from one side acknowledges the stanzas the other side sent since it enabled stream management.</summary>
    private void CheckAck(FlowSide from, XmlNode node, StreamPosition at)
    {
        XmppDirection sender = Dir(Other(from));
        if (sender.StanzasSent is not { } sent || !uint.TryParse(node.Attribute("h"), out uint h)) return;
        uint wireSent = (uint)sent; // h wraps at 2^32
        string? problem = null;
        if (h > wireSent) problem = $"acknowledges {h} stanzas but only {wireSent} were sent";
        else if (sender.SentAtLastRequest is { } requested && h < (uint)requested) problem = $"acknowledges {h} stanzas but {(uint)requested} were sent before the <r/>";
        if (problem is not null) Note(from, at, at.Frame, "sm-ack-mismatch", "SM ack h=" + h + ": " + problem, 0, null);
    }

    private void Broken(FlowSide from, XmppDirection d, ReadOnlySpan<byte> bytes, StreamPosition at, XmlViolation why)
    {
        if (bytes.Length > _options.MaxElementBytes)
        {
            // As if it had come in pieces: over the limit first, then broken.
            BeginSkip(from, d, bytes, at);
            EndSkip(from, d, at, "not well-formed");
            return;
        }
        string name = "?";
        var tk = new XmlTokenizer(bytes, new XmlTokenizerState { ResyncDepth = -1 });
        if (tk.Read() && tk.Token.Kind == XmlTokenKind.StartTag) name = Text(bytes.Slice(tk.Token.NameStart, tk.Token.NameLength));
        string reason = why == XmlViolation.TooDeep ? "nested too deep" : "not well-formed";
        Emit(new XmppElement
        {
            Ends = _ends, Direction = from, Time = at.Time,
            FirstFrame = d.ElementFirstFrame, LastFrame = at.Frame, Kind = "note", Name = "malformed",
            Summary = $"<{name}> {reason}; skipped to the next element", Error = reason, Size = bytes.Length,
            XmlUtf8 = _options.ShowSecrets ? XmlText.Utf8(bytes) : null,
        });
    }

    private void BeginSkip(FlowSide from, XmppDirection d, ReadOnlySpan<byte> held, StreamPosition at)
    {
        var tk = new XmlTokenizer(held, new XmlTokenizerState { ResyncDepth = -1 });
        XmlNode? head = null;
        Utf8Text xml = default;
        if (tk.Read() && tk.Token.Kind == XmlTokenKind.StartTag)
        {
            var problems = XmlText.Problems.None;
            head = XmlTreeBuilder.StartTag(held, tk.Token, d.Scope, ref problems, out _);
            xml = XmlText.Utf8(held[..tk.Token.End]);
        }
        head ??= new XmlNode("?", "?", "");
        d.SkippedHead = new XmppElementHead(head, xml, d.ElementFirstFrame, at.Time);
        d.SkippedSize = held.Length;
        d.Skipping = true;
    }

    private void EndSkip(FlowSide from, XmppDirection d, StreamPosition at, string? cut)
    {
        d.Skipping = false;
        if (_options.Counters is { } counters) Interlocked.Increment(ref counters.ElementsTruncated);
        XmppElementHead head = d.SkippedHead!;
        XmlNode n = head.Node;
        bool stanza = XmppDescriber.IsStanza(n);
        if (stanza && Dir(from).StanzasSent is { } sent) Dir(from).StanzasSent = sent + 1;
        string size = $"{d.SkippedSize} bytes";
        Emit(new XmppElement
        {
            Ends = _ends, Direction = from, Time = at.Time,
            FirstFrame = head.FirstFrame, LastFrame = at.Frame == 0 ? head.FirstFrame : at.Frame, Kind = stanza ? "stanza" : "nonza",
            Name = n.LocalName, Namespace = n.Namespace, Id = n.Attribute("id"), Type = n.Attribute("type"),
            From = n.Attribute("from"), To = n.Attribute("to"),
            Summary = $"{n.LocalName} {n.Attribute("type") ?? ""} truncated: {size}, larger than the {_options.MaxElementBytes}-byte limit".Replace("  ", " "),
            Error = cut is null ? $"larger than the limit ({size})" : $"larger than the limit ({size}); {cut}",
            Truncated = true, Size = d.SkippedSize, XmlUtf8 = head.Xml,
        });
        d.SkippedHead = null;
        d.SkippedSize = 0;
    }

    private static void AddSkip(XmppDirection d, XmlViolation why, ReadOnlySpan<byte> bytes, long frame)
    {
        if (d.SkipSize > 0 && d.SkipKind != why) return; // a different kind: the caller flushes first
        if (d.SkipSize == 0)
        {
            d.SkipKind = why;
            d.SkipFrame = frame;
        }
        int room = 200 - d.SkipHead.Count;
        if (room > 0) d.SkipHead.AddRange(bytes[..Math.Min(bytes.Length, room)]);
        d.SkipSize += bytes.Length;
    }

    private void FlushSkip(FlowSide from, XmppDirection d, StreamPosition at)
    {
        if (d.SkipSize == 0) return;
        string what = d.SkipKind switch
        {
            XmlViolation.Dtd => "a DTD (not allowed in XMPP; nothing in it was expanded)",
            XmlViolation.Comment => "a comment (not allowed in XMPP)",
            XmlViolation.ProcessingInstruction => "a processing instruction (not allowed in XMPP)",
            XmlViolation.CData => "a CDATA section (not allowed in XMPP)",
            XmlViolation.TooDeep => "an element nested too deep",
            _ => "bytes that are not well-formed XML",
        };
        string name = d.SkipKind switch
        {
            XmlViolation.Dtd => "dtd",
            XmlViolation.Comment => "comment",
            XmlViolation.ProcessingInstruction => "processing-instruction",
            XmlViolation.CData => "cdata",
            XmlViolation.TooDeep => "too-deep",
            _ => "malformed",
        };
        Note(from, at, d.SkipFrame, name, $"skipped {d.SkipSize} bytes: {what}", d.SkipSize, XmlText.Utf8(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(d.SkipHead)));
        d.SkipSize = 0;
        d.SkipHead.Clear();
    }
}
