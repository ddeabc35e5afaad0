namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Walks the attributes of a start tag the tokenizer already checked: name, then the raw (undecoded) value.
/// Byte loops rather than vectorised searches: names and most values are a few bytes long.
/// </summary>
public ref struct XmlAttributeReader(ReadOnlySpan<byte> attributes)
{
    private readonly ReadOnlySpan<byte> _tag = attributes;
    private int _at;

    public ReadOnlySpan<byte> Name { get; private set; }

    public ReadOnlySpan<byte> RawValue { get; private set; }

    /// <summary>Where <see cref="Name"/> starts in the attributes read.</summary>
    public int NameStart { get; private set; }

    /// <summary>Where <see cref="RawValue"/> starts in the attributes read.</summary>
    public int ValueStart { get; private set; }

    public bool Read()
    {
        ReadOnlySpan<byte> tag = _tag;
        int i = _at;
        while (i < tag.Length && XmlTokenizer.IsSpace(tag[i])) i++;
        int nameStart = i;
        while (i < tag.Length && tag[i] != '=') i++;
        if (i >= tag.Length) return false;
        int nameEnd = i;
        while (nameEnd > nameStart && XmlTokenizer.IsSpace(tag[nameEnd - 1])) nameEnd--;
        i++;
        while (i < tag.Length && tag[i] is not ((byte)'"' or (byte)'\'')) i++;
        if (i >= tag.Length) return false;
        byte quote = tag[i];
        int valueStart = ++i;
        int close = tag[valueStart..].IndexOf(quote); // values can be long (a SASL payload)
        if (close < 0) return false;
        Name = tag[nameStart..nameEnd];
        RawValue = tag.Slice(valueStart, close);
        (NameStart, ValueStart) = (nameStart, valueStart);
        _at = valueStart + close + 1;
        return true;
    }
}
