using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// A forward-only tokenizer for the XML subset XMPP uses (RFC 6120 §11), over the bytes at hand:
/// <see cref="Read"/> returns false when the next token is not complete yet; <see cref="Consumed"/>
/// says where the caller must offer bytes again, with <see cref="State"/> to resume from.
/// It never throws and never expands anything: DTDs, comments, PIs and CDATA are reported as
/// violations and skipped; malformed bytes are skipped up to the next plausible top-level element.
/// Only ASCII delimiters are looked at, which is safe in UTF-8 (they never occur inside a multi-byte sequence).
/// </summary>
public ref struct XmlTokenizer
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly XmlTokenizerOptions _options;
    private XmlTokenizerState _state;
    private int _pos;

    public XmlTokenizer(ReadOnlySpan<byte> data, XmlTokenizerState state, XmlTokenizerOptions? options = null)
    {
        _data = data;
        _state = state;
        _options = options ?? XmlTokenizerOptions.Default;
    }

    public readonly XmlTokenizerState State => _state;

    /// <summary>Bytes used by the tokens returned so far (and whitespace skipped while resynchronising).</summary>
    public readonly int Consumed => _pos;

    public XmlToken Token { get; private set; }

    /// <summary>Puts the tokenizer at the stream level (a stream restart, or after a gap): <paramref name="depth"/> 1 inside a stream, 0 outside.</summary>
    public void ResetToStreamLevel(int depth, bool resync)
    {
        _state.Depth = depth;
        _state.ResyncDepth = depth;
        _state.Resyncing = resync;
        _state.SkipWhy = XmlViolation.None;
        _state.ForgetPosition();
    }

    public bool Read()
    {
        while (_pos < _data.Length)
        {
            if (_state.Resyncing)
            {
                if (Skip(_pos, _state.SkipWhy == XmlViolation.None ? XmlViolation.Malformed : _state.SkipWhy, startMayResync: true)) return true;
                if (_state.Resyncing) return false;
                continue;
            }
            return _data[_pos] == '<' ? ReadMarkup() : ReadText();
        }
        return false;
    }

    private bool ReadText()
    {
        ReadOnlySpan<byte> rest = _data[_pos..];
        if (_state.Depth <= _state.ResyncDepth)
        {
            // Between top-level elements only whitespace (keepalives) may appear.
            int junk = rest.IndexOfAnyExcept(" \t\r\n"u8);
            if (junk < 0) return Emit(new XmlToken(XmlTokenKind.Text, _pos, _data.Length, Depth: _state.Depth));
            if (rest[junk] == '<') return Emit(new XmlToken(XmlTokenKind.Text, _pos, _pos + junk, Depth: _state.Depth));
            _state.Resyncing = true;
            if (junk > 0) return Emit(new XmlToken(XmlTokenKind.Text, _pos, _pos + junk, Depth: _state.Depth));
            return Skip(_pos + junk, XmlViolation.Malformed, startMayResync: false) || Read();
        }
        int searched = Math.Min(_state.TextSearched, rest.Length);
        int end = rest[searched..].IndexOf((byte)'<');
        if (end < 0)
        {
            if (!_options.PartialText)
            {
                _state.TextSearched = rest.Length;
                return false;
            }
            end = rest.Length;
        }
        else end += searched;
        bool bad = !Utf8.IsValid(rest[..end]);
        return Emit(new XmlToken(XmlTokenKind.Text, _pos, _pos + end, Depth: _state.Depth, InvalidUtf8: bad));
    }

    private bool ReadMarkup()
    {
        if (_pos + 1 >= _data.Length) return false;
        byte next = _data[_pos + 1];
        return next switch
        {
            (byte)'/' => ReadEndTag(),
            (byte)'?' => ReadProcessingInstruction(),
            (byte)'!' => ReadBang(),
            _ when IsNameStart(next) => ReadStartTag(),
            _ => Malformed(),
        };
    }

    /// <summary>
    /// A start tag. When the bytes end inside it, <see cref="Pause"/> keeps where
    /// and in which part, and the next offer (the same tag, longer) goes on from there instead of reading it again
    /// from its '&lt;': a tag over n segments is read once, not n times over.
    /// </summary>
    private bool ReadStartTag()
    {
        bool resuming = _state.TagAt > 0;
        TagPart part = resuming ? _state.TagPart : TagPart.Name;
        int i = _pos + (resuming ? _state.TagAt : 1);
        int nameStart = _pos + 1;
        int nameLength = _state.TagNameLength;
        bool sawSpace = _state.TagSawSpace;
        byte quote = _state.TagQuote;
        if (part == TagPart.Name)
        {
            while (i < _data.Length && IsNameChar(_data[i])) i++;
            if (i >= _data.Length) return Pause(TagPart.Name, i, nameLength, sawSpace, quote);
            nameLength = i - nameStart;
            resuming = false;
        }
        while (true)
        {
            // Straight through for a tag read whole; a tag paused in an earlier offer goes on in the part it was in.
            if (resuming)
            {
                resuming = false;
                switch (part)
                {
                    case TagPart.AttributeName: goto AttributeName;
                    case TagPart.BeforeEquals: goto BeforeEquals;
                    case TagPart.AfterEquals: goto AfterEquals;
                    case TagPart.Value: goto Value;
                }
            }
            else sawSpace = false;
            int ws = SkipSpace(i);
            sawSpace |= ws > i;
            if (ws >= _data.Length) return Pause(TagPart.Space, ws, nameLength, sawSpace, quote);
            byte c = _data[ws];
            if (c == '>' || c == '/')
            {
                bool empty = c == '/';
                if (empty)
                {
                    if (ws + 1 >= _data.Length) return Pause(TagPart.Space, ws, nameLength, sawSpace, quote);
                    if (_data[ws + 1] != '>') return Malformed();
                }
                int end = ws + (empty ? 2 : 1);
                int attributesStart = nameStart + nameLength;
                var token = new XmlToken(XmlTokenKind.StartTag, _pos, end, nameStart, nameLength, attributesStart,
                    ws - attributesStart, empty, Depth: _state.Depth, InvalidUtf8: !Utf8.IsValid(_data[_pos..end]));
                if (!empty)
                {
                    if (_state.Depth + 1 > _options.MaxDepth)
                    {
                        _state.Resyncing = true;
                        return Skip(_pos, XmlViolation.TooDeep, startMayResync: false);
                    }
                    if (_state.Depth == 0 && IsStreamRoot(_data.Slice(nameStart, nameLength))) _state.ResyncDepth = 1;
                    _state.Depth++;
                }
                return Emit(token);
            }
            if (!sawSpace || !IsNameStart(c)) return Malformed(); // attributes are separated by whitespace
            // name = "value" | name = 'value'
            i = ws;
        AttributeName:
            while (i < _data.Length && IsNameChar(_data[i])) i++;
            if (i >= _data.Length) return Pause(TagPart.AttributeName, i, nameLength, sawSpace, quote);
        BeforeEquals:
            i = SkipSpace(i);
            if (i >= _data.Length) return Pause(TagPart.BeforeEquals, i, nameLength, sawSpace, quote);
            if (_data[i] != '=') return Malformed();
            i++;
        AfterEquals:
            i = SkipSpace(i);
            if (i >= _data.Length) return Pause(TagPart.AfterEquals, i, nameLength, sawSpace, quote);
            quote = _data[i];
            if (quote != '"' && quote != '\'') return Malformed();
            i++;
        Value:
            int close = _data[i..].IndexOfAny(quote, (byte)'<');
            if (close < 0) return Pause(TagPart.Value, _data.Length, nameLength, sawSpace, quote);
            if (_data[i + close] == '<') return Malformed();
            i += close + 1;
        }
    }

    /// <summary>The bytes end inside the start tag at <see cref="_pos"/>: keeps where reading it goes on (see <see cref="ReadStartTag"/>).</summary>
    private bool Pause(TagPart part, int at, int nameLength, bool sawSpace, byte quote)
    {
        (_state.TagPart, _state.TagAt, _state.TagNameLength, _state.TagSawSpace, _state.TagQuote) = (part, at - _pos, nameLength, sawSpace, quote);
        return false;
    }

    private bool ReadEndTag()
    {
        int close = _data[_pos..].IndexOf((byte)'>');
        if (close < 0) return _data.Length - _pos > 1024 ? Malformed() : false;
        int nameStart = _pos + 2;
        int i = nameStart;
        if (i >= _data.Length || !IsNameStart(_data[i])) return Malformed();
        while (IsNameChar(_data[i])) i++;
        int nameLength = i - nameStart;
        if (SkipSpace(i) != _pos + close) return Malformed();
        if (_state.Depth > 0) _state.Depth--;
        if (_state.Depth == 0 && IsStreamRoot(_data.Slice(nameStart, nameLength))) _state.ResyncDepth = 0;
        return Emit(new XmlToken(XmlTokenKind.EndTag, _pos, _pos + close + 1, nameStart, nameLength, Depth: _state.Depth));
    }

    private bool ReadProcessingInstruction()
    {
        int close = _data[(_pos + 2)..].IndexOf("?>"u8);
        if (close < 0) return false;
        int end = _pos + 2 + close + 2;
        ReadOnlySpan<byte> target = _data[(_pos + 2)..];
        bool declaration = _state.Depth == 0 && target.StartsWith("xml"u8) && target.Length > 3 && IsSpace(target[3]);
        if (!declaration) return Emit(new XmlToken(XmlTokenKind.Violation, _pos, end, Violation: XmlViolation.ProcessingInstruction, Depth: _state.Depth));
        _state.SawDeclaration = true;
        return Emit(new XmlToken(XmlTokenKind.Declaration, _pos, end, _pos + 2, 3, _pos + 5, end - 2 - (_pos + 5)));
    }

    private bool ReadBang()
    {
        ReadOnlySpan<byte> rest = _data[_pos..];
        if (Starts(rest, "<!--"u8) is { } comment) return comment && SkipPast(rest, 4, "-->"u8, XmlViolation.Comment);
        if (Starts(rest, "<![CDATA["u8) is { } cdata) return cdata && SkipPast(rest, 9, "]]>"u8, XmlViolation.CData);
        if (Starts(rest, "<!DOCTYPE"u8) is { } doctype) return doctype && SkipDoctype(rest);
        return Malformed();
    }

    /// <summary>True if <paramref name="rest"/> starts with the marker, false if it may (too short to tell), null if not.</summary>
    private static bool? Starts(ReadOnlySpan<byte> rest, ReadOnlySpan<byte> marker)
    {
        int n = Math.Min(rest.Length, marker.Length);
        if (!rest[..n].SequenceEqual(marker[..n])) return null;
        return n == marker.Length;
    }

    private bool SkipPast(ReadOnlySpan<byte> rest, int from, ReadOnlySpan<byte> terminator, XmlViolation why)
    {
        int close = rest[from..].IndexOf(terminator);
        if (close < 0) return false;
        return Emit(new XmlToken(XmlTokenKind.Violation, _pos, _pos + from + close + terminator.Length, Violation: why, Depth: _state.Depth));
    }

    /// <summary>A DOCTYPE ends at the first '>' outside quotes and outside its internal subset [...]; nothing in it is used.</summary>
    private bool SkipDoctype(ReadOnlySpan<byte> rest)
    {
        byte quote = 0;
        int brackets = 0;
        for (int i = 9; i < rest.Length; i++)
        {
            byte c = rest[i];
            if (quote != 0)
            {
                if (c == quote) quote = 0;
            }
            else if (c is (byte)'"' or (byte)'\'') quote = c;
            else if (c == '[') brackets++;
            else if (c == ']' && brackets > 0) brackets--;
            else if (c == '>' && brackets == 0)
                return Emit(new XmlToken(XmlTokenKind.Violation, _pos, _pos + i + 1, Violation: XmlViolation.Dtd, Depth: _state.Depth));
        }
        return false;
    }

    private bool Malformed()
    {
        _state.Resyncing = true;
        return Skip(_pos, XmlViolation.Malformed, startMayResync: false);
    }

    /// <summary>
    /// Skips from <paramref name="start"/> to the next '&lt;' that opens a plausible top-level element
    /// (then resumes at the stream level), or as far as the buffer allows. Returns true if it made a token.
    /// The byte at <paramref name="start"/> is the offending one unless <paramref name="startMayResync"/>
    /// (a continued skip, whose '&lt;' could not be judged before).
    /// </summary>
    private bool Skip(int start, XmlViolation why, bool startMayResync)
    {
        _state.ForgetPosition(); // whatever was paused here is being skipped
        int end = _data.Length;
        bool reported = _state.SkipReported;
        int i = startMayResync ? start : start + 1;
        while (i < _data.Length)
        {
            int lt = _data[i..].IndexOf((byte)'<');
            if (lt < 0) break;
            i += lt;
            bool? plausible = IsPlausible(i);
            if (plausible == true)
            {
                end = i;
                _state.Resyncing = false;
                _state.SkipReported = false;
                _state.SkipWhy = XmlViolation.None;
                _state.Depth = Math.Max(0, _state.ResyncDepth);
                break;
            }
            if (plausible is null)
            {
                end = i; // too short to tell: keep it for the next buffer
                break;
            }
            i++;
        }
        if (end == start) return false;
        if (!reported)
        {
            // Whitespace before the first skipped byte is not a violation (nor counted), however the buffers are cut.
            int junk = _data[start..end].IndexOfAnyExcept(" \t\r\n"u8);
            if (junk < 0)
            {
                _pos = end;
                return false;
            }
            start += junk;
        }
        _state.SkipReported = _state.Resyncing;
        if (_state.Resyncing) _state.SkipWhy = why;
        return Emit(new XmlToken(XmlTokenKind.Violation, start, end, Violation: why, Depth: _state.Depth));
    }

    private static readonly byte[][] TopLevelNames =
    [
        "message"u8.ToArray(), "presence"u8.ToArray(), "iq"u8.ToArray(), "r"u8.ToArray(), "a"u8.ToArray(),
        "enable"u8.ToArray(), "enabled"u8.ToArray(), "resume"u8.ToArray(), "resumed"u8.ToArray(), "failed"u8.ToArray(),
        "auth"u8.ToArray(), "challenge"u8.ToArray(), "response"u8.ToArray(), "success"u8.ToArray(), "failure"u8.ToArray(),
        "abort"u8.ToArray(), "starttls"u8.ToArray(), "proceed"u8.ToArray(), "compress"u8.ToArray(),
        "compressed"u8.ToArray(), "features"u8.ToArray(), "handshake"u8.ToArray(),
        "open"u8.ToArray(), "close"u8.ToArray(), // XMPP over WebSocket's stream header and end (RFC 7395)
    ];

    private static readonly byte[][] PrefixedLocalNames =
    [
        "stream"u8.ToArray(), "features"u8.ToArray(), "error"u8.ToArray(), "result"u8.ToArray(), "verify"u8.ToArray(),
    ];

    /// <summary>Does the '&lt;' at <paramref name="at"/> open a plausible top-level element? Null: too few bytes to tell.</summary>
    private readonly bool? IsPlausible(int at)
    {
        ReadOnlySpan<byte> rest = _data[(at + 1)..];
        if (rest.IsEmpty) return null;
        if (rest[0] == '?')
        {
            if (rest.Length < 5) return "?xml "u8.StartsWith(rest) ? null : false;
            return _state.ResyncDepth == 0 && rest.StartsWith("?xml"u8) && IsSpace(rest[4]);
        }
        if (rest[0] == '!')
        {
            // A DTD or comment before or between elements is read as what it is (then reported), not as junk.
            if (_state.ResyncDepth != 0) return false;
            if (Starts(rest, "!DOCTYPE"u8) is { } doctype) return doctype ? true : null;
            if (Starts(rest, "!--"u8) is { } comment) return comment ? true : null;
            return false;
        }
        bool end = rest[0] == '/';
        if (end) rest = rest[1..];
        int n = 0;
        while (n < rest.Length && IsNameChar(rest[n])) n++;
        if (n == rest.Length) return n > 40 ? false : null;
        if (n == 0 || !(IsSpace(rest[n]) || rest[n] is (byte)'>' or (byte)'/')) return false;
        ReadOnlySpan<byte> name = rest[..n];
        int colon = name.IndexOf((byte)':');
        if (end) return colon > 0 && name[(colon + 1)..].SequenceEqual("stream"u8);
        if (colon > 0)
        {
            ReadOnlySpan<byte> local = name[(colon + 1)..];
            foreach (byte[] known in PrefixedLocalNames)
                if (local.SequenceEqual(known)) return true;
            return false;
        }
        foreach (byte[] known in TopLevelNames)
            if (name.SequenceEqual(known)) return true;
        return name.SequenceEqual("stream"u8);
    }

    private static bool IsStreamRoot(ReadOnlySpan<byte> qname)
    {
        int colon = qname.IndexOf((byte)':');
        return qname[(colon + 1)..].SequenceEqual("stream"u8);
    }

    private bool Emit(XmlToken token)
    {
        Token = token;
        _pos = token.End;
        _state.ForgetPosition();
        return true;
    }

    private readonly int SkipSpace(int i)
    {
        while (i < _data.Length && IsSpace(_data[i])) i++;
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>ASCII letters, '_', ':' and any non-ASCII byte (a UTF-8 name character; checked when decoded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsNameStart(byte c) => c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_' or (byte)':' or >= 0x80;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsNameChar(byte c) => IsNameStart(c) || c is >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.';
}
