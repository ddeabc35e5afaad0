namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>Small byte-level checks of RFC 9110/9112 syntax, shared by the probe and the parser.</summary>
internal static class HttpSyntax
{
    /// <summary>Methods the probe believes: RFC 9110, PATCH, WebDAV and SSDP.</summary>
    public static readonly string[] Methods =
    [
        "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE",
        "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH",
        "NOTIFY", "M-SEARCH", "SUBSCRIBE", "UNSUBSCRIBE",
    ];

    /// <summary>tchar of RFC 9110 §5.6.2.</summary>
    public static bool IsToken(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty) return false;
        foreach (byte b in text)
            if (b <= ' ' || b >= 0x7F || "\"(),/:;<=>?@[\\]{}"u8.Contains(b)) return false;
        return true;
    }

    public static bool IsDigits(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
            if (b is < (byte)'0' or > (byte)'9') return false;
        return !text.IsEmpty;
    }

    /// <summary>A non-negative decimal that fits a long.</summary>
    public static bool TryParseDecimal(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (!IsDigits(text) || text.Length > 18) return false;
        foreach (byte b in text) value = value * 10 + (b - '0');
        return true;
    }

    /// <summary>A chunk size: hex digits, optionally followed by ";extensions" or spaces.</summary>
    public static bool TryParseChunkSize(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        int digits = 0;
        foreach (byte b in line)
        {
            int v = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (v < 0) break;
            if (++digits > 15) return false;
            size = size * 16 + v;
        }
        if (digits == 0) return false;
        ReadOnlySpan<byte> rest = line[digits..].TrimStart(" \t"u8);
        return rest.IsEmpty || rest[0] == ';';
    }

    /// <summary>Whether a comma-separated header value lists <paramref name="token"/> (case-insensitive).</summary>
    public static bool ContainsToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (Range part in value.Split((byte)','))
            if (System.Text.Ascii.EqualsIgnoreCase(value[part].Trim(" \t"u8), token)) return true;
        return false;
    }
}
