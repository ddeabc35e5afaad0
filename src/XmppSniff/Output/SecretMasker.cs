namespace XmppSniff.Output;

/// <summary>
/// Masks credentials in raw stream bytes, for views that print a flow's bytes (`follow`): the values
/// of HTTP Authorization, Proxy-Authorization, Cookie and Set-Cookie headers (an Authorization
/// scheme such as "Basic" stays readable), and the text of XMPP SASL auth, response, challenge and
/// success elements and of password and digest elements. Each secret byte becomes '*', so lengths
/// and offsets stay true. One masker per direction; state carries across chunks, so a secret cut
/// between two packets is masked all the same.
/// </summary>
internal sealed class SecretMasker
{
    private const byte Mask = (byte)'*';

    private static readonly byte[][] Headers =
    [
        "authorization:"u8.ToArray(), "proxy-authorization:"u8.ToArray(), "cookie:"u8.ToArray(), "set-cookie:"u8.ToArray(),
    ];

    private static readonly byte[][] Elements =
    [
        "<auth"u8.ToArray(), "<response"u8.ToArray(), "<challenge"u8.ToArray(), "<success"u8.ToArray(),
        "<password"u8.ToArray(), "<digest"u8.ToArray(),
    ];

    private enum Mode : byte
    {
        Scanning,

        /// <summary>In a header line's value before its first character (spaces after the colon).</summary>
        HeaderStart,

        /// <summary>In an Authorization value: the scheme word, shown.</summary>
        Scheme,

        /// <summary>Spaces after the scheme.</summary>
        AfterScheme,

        /// <summary>Masking to the end of the line.</summary>
        HeaderValue,

        /// <summary>Inside a secret element's start tag (attributes are not secret).</summary>
        StartTag,

        /// <summary>Masking to the next '&lt;'.</summary>
        ElementText,
    }

    private Mode _mode;
    private bool _keepScheme;
    private byte _previous;

    // The last bytes seen, lower-cased, enough for the longest marker.
    private readonly byte[] _tail = [(byte)'\n', .. new byte[23]];
    private int _tailLength = 1;

    public void MaskInPlace(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            byte b = data[i];
            switch (_mode)
            {
                case Mode.Scanning:
                    Scan(b);
                    break;
                case Mode.HeaderStart:
                    if (b is (byte)' ' or (byte)'\t') break;
                    if (b is (byte)'\r' or (byte)'\n') { _mode = Mode.Scanning; Scan(b); break; }
                    if (_keepScheme) _mode = Mode.Scheme;
                    else { _mode = Mode.HeaderValue; data[i] = Mask; }
                    break;
                case Mode.Scheme:
                    if (b is (byte)'\r' or (byte)'\n') { _mode = Mode.Scanning; Scan(b); }
                    else if (b is (byte)' ' or (byte)'\t') _mode = Mode.AfterScheme;
                    break;
                case Mode.AfterScheme:
                    if (b is (byte)'\r' or (byte)'\n') { _mode = Mode.Scanning; Scan(b); }
                    else if (b is not ((byte)' ' or (byte)'\t')) { _mode = Mode.HeaderValue; data[i] = Mask; }
                    break;
                case Mode.HeaderValue:
                    if (b is (byte)'\r' or (byte)'\n') { _mode = Mode.Scanning; Scan(b); }
                    else data[i] = Mask;
                    break;
                case Mode.StartTag:
                    if (b == '>') _mode = _previous == '/' ? Mode.Scanning : Mode.ElementText;
                    else if (b == '<') { _mode = Mode.Scanning; Scan(b); } // not a tag after all
                    break;
                case Mode.ElementText:
                    if (b == '<') { _mode = Mode.Scanning; Scan(b); }
                    else data[i] = Mask;
                    break;
            }
            _previous = b;
        }
    }

    private void Scan(byte b)
    {
        // A secret element's name ends with a space, '>' or '/': then its start tag follows.
        if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'>' or (byte)'/')
        {
            foreach (byte[] name in Elements)
            {
                if (!TailEndsWith(name)) continue;
                _tailLength = 0;
                if (b == '>') _mode = Mode.ElementText;
                else _mode = Mode.StartTag;
                return;
            }
        }
        if (b == ':')
        {
            Push(b);
            foreach (byte[] header in Headers)
            {
                // Only at the start of a line: the header name is preceded by a line end.
                if (!TailEndsWith(header) || !AtLineStart(header.Length)) continue;
                _keepScheme = header[0] != 'c' && header[0] != 's';
                _mode = Mode.HeaderStart;
                _tailLength = 0;
                return;
            }
            return;
        }
        Push(b);
    }

    private void Push(byte b)
    {
        if (_tailLength == _tail.Length)
        {
            Array.Copy(_tail, 1, _tail, 0, _tail.Length - 1);
            _tailLength--;
        }
        _tail[_tailLength++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
    }

    private bool TailEndsWith(ReadOnlySpan<byte> marker) =>
        _tailLength >= marker.Length && _tail.AsSpan(_tailLength - marker.Length, marker.Length).SequenceEqual(marker);

    /// <summary>True if the byte before the last <paramref name="length"/> tail bytes is a line end (the stream start counts as one).</summary>
    private bool AtLineStart(int length) => _tailLength > length && _tail[_tailLength - length - 1] == '\n';
}
