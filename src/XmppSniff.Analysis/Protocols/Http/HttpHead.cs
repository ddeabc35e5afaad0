using System.Text;

namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>
/// The start line and the headers of one HTTP/1.x message that the analyzer uses, filled in line by
/// line. Other header values are counted, never kept: only what a record shows is stored.
/// </summary>
internal sealed class HttpHead
{
    public string? Method;
    public string? Target;
    public string Version = "1.1";
    public int Status;
    public string? Reason;
    public int HeaderCount;
    public long? ContentLength;
    public bool BadContentLength;
    public string? TransferEncoding;
    public string? ContentEncoding;
    public string? ContentType;
    public string? Host;
    public bool ConnectionClose;
    public bool ConnectionKeepAlive;
    public string? Upgrade;

    /// <summary>Sec-WebSocket-Protocol: the subprotocols a client offers, the one the server chose ("xmpp", RFC 7395).</summary>
    public string? WebSocketProtocol;
    public string? Authorization;

    /// <summary>The last transfer coding is chunked (RFC 9112 §6.3).</summary>
    public bool Chunked => TransferEncoding is { } te && te.TrimEnd().EndsWith("chunked", StringComparison.OrdinalIgnoreCase);

    public bool IsResponse => Method is null;

    /// <summary>Parses "METHOD SP target SP HTTP/x.y"; false when the line is not one.</summary>
    public bool ParseRequestLine(ReadOnlySpan<byte> line)
    {
        int sp1 = line.IndexOf((byte)' ');
        int sp2 = line.LastIndexOf((byte)' ');
        if (sp1 <= 0 || sp2 <= sp1 || !HttpSyntax.IsToken(line[..sp1])) return false;
        if (!TryVersion(line[(sp2 + 1)..], out Version)) return false;
        Method = Latin1(line[..sp1]);
        Target = Latin1(line[(sp1 + 1)..sp2].Trim((byte)' '));
        return true;
    }

    /// <summary>Parses "HTTP/x.y SP NNN [SP reason]"; false when the line is not one.</summary>
    public bool ParseStatusLine(ReadOnlySpan<byte> line)
    {
        int sp = line.IndexOf((byte)' ');
        if (sp < 0 || !TryVersion(line[..sp], out Version)) return false;
        ReadOnlySpan<byte> rest = line[(sp + 1)..];
        if (rest.Length < 3 || !HttpSyntax.IsDigits(rest[..3]) || (rest.Length > 3 && rest[3] != ' ')) return false;
        Status = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
        Reason = rest.Length > 4 ? Latin1(rest[4..]) : "";
        return true;
    }

    /// <summary>Takes one "Name: value" line; false when it has no colon or a bad name.</summary>
    public bool AddHeader(ReadOnlySpan<byte> line, bool showSecrets)
    {
        int colon = line.IndexOf((byte)':');
        if (colon <= 0 || !HttpSyntax.IsToken(line[..colon])) return false;
        HeaderCount++;
        ReadOnlySpan<byte> name = line[..colon];
        ReadOnlySpan<byte> value = line[(colon + 1)..].Trim(" \t"u8);
        if (Is(name, "content-length"u8))
        {
            if (HttpSyntax.TryParseDecimal(value, out long length) && (ContentLength is null || ContentLength == length)) ContentLength = length;
            else BadContentLength = true;
        }
        else if (Is(name, "transfer-encoding"u8)) TransferEncoding = Join(TransferEncoding, Latin1(value));
        else if (Is(name, "content-encoding"u8)) ContentEncoding = Join(ContentEncoding, Latin1(value));
        else if (Is(name, "content-type"u8)) ContentType ??= Latin1(value);
        else if (Is(name, "host"u8)) Host ??= Latin1(value);
        else if (Is(name, "upgrade"u8)) Upgrade ??= Latin1(value);
        else if (Is(name, "sec-websocket-protocol"u8)) WebSocketProtocol ??= Latin1(value);
        else if (Is(name, "authorization"u8) || Is(name, "proxy-authorization"u8)) Authorization ??= Redact(value, showSecrets);
        else if (Is(name, "connection"u8) || Is(name, "proxy-connection"u8))
        {
            ConnectionClose |= HttpSyntax.ContainsToken(value, "close"u8);
            ConnectionKeepAlive |= HttpSyntax.ContainsToken(value, "keep-alive"u8);
        }
        // Cookie, Set-Cookie and every other value: counted above, never stored.
        return true;
    }

    /// <summary>Keeps the scheme ("Basic", "Bearer"), drops the credentials unless secrets are shown.</summary>
    private static string Redact(ReadOnlySpan<byte> value, bool showSecrets)
    {
        if (showSecrets) return Latin1(value);
        int sp = value.IndexOf((byte)' ');
        return sp < 0 ? "[redacted]" : Latin1(value[..sp]) + " [redacted]";
    }

    private static bool TryVersion(ReadOnlySpan<byte> text, out string version)
    {
        version = "1.1";
        if (text.Length != 8 || !text.StartsWith("HTTP/1."u8) || (text[7] != '0' && text[7] != '1')) return false;
        version = text[7] == '0' ? "1.0" : "1.1";
        return true;
    }

    private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> lower) => Ascii.EqualsIgnoreCase(name, lower);

    private static string Join(string? before, string value) => before is null ? value : before + ", " + value;

    /// <summary>Header text as Latin-1, so any byte maps to one char and nothing throws; capped so a huge value stays small.</summary>
    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 2048)]);
}
