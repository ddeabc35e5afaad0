namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>Walks the attributes of a start tag the tokenizer already checked: name, then the raw (undecoded) value.</summary>
public ref struct XmlAttributeReader(ReadOnlySpan<byte> attributes)
{
    private ReadOnlySpan<byte> _rest = attributes;

    public ReadOnlySpan<byte> Name { get; private set; }

    public ReadOnlySpan<byte> RawValue { get; private set; }

    public bool Read()
    {
        int start = _rest.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0) return false;
        _rest = _rest[start..];
        int eq = _rest.IndexOf((byte)'=');
        if (eq < 0) return false;
        Name = _rest[..eq].TrimEnd(" \t\r\n"u8);
        _rest = _rest[(eq + 1)..];
        int quoteAt = _rest.IndexOfAny((byte)'"', (byte)'\'');
        if (quoteAt < 0) return false;
        byte quote = _rest[quoteAt];
        _rest = _rest[(quoteAt + 1)..];
        int close = _rest.IndexOf(quote);
        if (close < 0) return false;
        RawValue = _rest[..close];
        _rest = _rest[(close + 1)..];
        return true;
    }
}
