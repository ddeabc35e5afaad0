using XmppSniff.Analysis.Protocols;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Recognises XMPP by content on any port: a stream header in jabber:client, jabber:server or
/// jabber:component:* (either quote style, with or without an XML declaration), or a flow caught
/// mid-stream whose first bytes are a top-level iq, message, presence or the stream's close.
/// </summary>
public static class XmppProbe
{
    /// <summary>How far into a side's first bytes a stream header must have ended.</summary>
    private const int MaxHeader = 2048;

    private static readonly byte[][] StanzaStarts = ["<iq"u8.ToArray(), "<message"u8.ToArray(), "<presence"u8.ToArray()];

    public static ProbeResult Probe(ReadOnlySpan<byte> clientFirst, ReadOnlySpan<byte> serverFirst)
    {
        ProbeResult client = ProbeSide(clientFirst), server = ProbeSide(serverFirst);
        if (client == ProbeResult.Yes || server == ProbeResult.Yes) return ProbeResult.Yes;
        if (client == ProbeResult.No && server == ProbeResult.No) return ProbeResult.No;
        // One side is not XMPP and the other has not spoken: only binary from the speaker settles it.
        if ((client == ProbeResult.No && serverFirst.IsEmpty) || (server == ProbeResult.No && clientFirst.IsEmpty))
            return ProbeResult.NeedMore;
        return client == ProbeResult.NeedMore || server == ProbeResult.NeedMore ? ProbeResult.NeedMore : ProbeResult.No;
    }

    public static ProbeResult ProbeSide(ReadOnlySpan<byte> data)
    {
        int start = data.IndexOfAnyExcept(" \t\r\n"u8);
        if (start < 0) return data.Length > MaxHeader ? ProbeResult.No : ProbeResult.NeedMore;
        ReadOnlySpan<byte> rest = data[start..];
        if (rest[0] != '<') return ProbeResult.No;
        if (Prefix(rest, "<?xml"u8) is { } decl)
        {
            if (!decl) return ProbeResult.NeedMore;
            int close = rest.IndexOf("?>"u8);
            if (close < 0) return rest.Length > MaxHeader ? ProbeResult.No : ProbeResult.NeedMore;
            rest = rest[(close + 2)..];
            int next = rest.IndexOfAnyExcept(" \t\r\n"u8);
            if (next < 0) return ProbeResult.NeedMore;
            rest = rest[next..];
            if (rest[0] != '<') return ProbeResult.No;
        }
        // A DTD or comment before the stream header is not allowed, but it is how a hostile peer
        // (billion laughs) would start: look past it, so the analyzer can report it and go on.
        for (int skipped = 0; rest[0] == '<' && rest.Length > 1 && rest[1] == '!' && skipped < 4; skipped++)
        {
            int length = EndOfBang(rest);
            if (length < 0) return data.Length > MaxHeader ? ProbeResult.No : ProbeResult.NeedMore;
            if (length == 0) return ProbeResult.No;
            rest = rest[length..];
            int next = rest.IndexOfAnyExcept(" \t\r\n"u8);
            if (next < 0) return ProbeResult.NeedMore;
            rest = rest[next..];
        }
        foreach (byte[] stanza in StanzaStarts)
        {
            if (Prefix(rest, stanza) is not { } match) continue;
            if (!match || rest.Length == stanza.Length) return ProbeResult.NeedMore;
            byte after = rest[stanza.Length];
            return after is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'>' or (byte)'/' ? ProbeResult.Yes : ProbeResult.No;
        }
        if (Prefix(rest, "</stream:stream>"u8) is { } end) return end ? ProbeResult.Yes : ProbeResult.NeedMore;
        return StreamHeader(rest);
    }

    /// <summary>A start tag whose local name is "stream" and whose default namespace is an XMPP one.</summary>
    private static ProbeResult StreamHeader(ReadOnlySpan<byte> tag)
    {
        int i = 1;
        while (i < tag.Length && XmlTokenizer.IsNameChar(tag[i])) i++;
        if (i == tag.Length) return i > 64 ? ProbeResult.No : ProbeResult.NeedMore;
        ReadOnlySpan<byte> name = tag[1..i];
        int colon = name.IndexOf((byte)':');
        if (!name[(colon + 1)..].SequenceEqual("stream"u8)) return ProbeResult.No;
        int close = tag.IndexOf((byte)'>');
        if (close < 0) return tag.Length > MaxHeader ? ProbeResult.No : ProbeResult.NeedMore;
        var attributes = new XmlAttributeReader(tag[i..close]);
        while (attributes.Read())
        {
            if (!attributes.Name.SequenceEqual("xmlns"u8)) continue;
            ReadOnlySpan<byte> ns = attributes.RawValue;
            if (ns.SequenceEqual("jabber:client"u8) || ns.SequenceEqual("jabber:server"u8) || ns.StartsWith("jabber:component:"u8))
                return ProbeResult.Yes;
        }
        return ProbeResult.No;
    }

    /// <summary>Length of the DOCTYPE or comment at the start of <paramref name="rest"/>; -1: not complete yet; 0: neither.</summary>
    private static int EndOfBang(ReadOnlySpan<byte> rest)
    {
        if (Prefix(rest, "<!--"u8) is { } comment)
        {
            if (!comment) return -1;
            int close = rest[4..].IndexOf("-->"u8);
            return close < 0 ? -1 : 4 + close + 3;
        }
        if (Prefix(rest, "<!DOCTYPE"u8) is not { } doctype) return 0;
        if (!doctype) return -1;
        byte quote = 0;
        int brackets = 0;
        for (int i = 9; i < rest.Length; i++)
        {
            byte c = rest[i];
            if (quote != 0) { if (c == quote) quote = 0; }
            else if (c is (byte)'"' or (byte)'\'') quote = c;
            else if (c == '[') brackets++;
            else if (c == ']' && brackets > 0) brackets--;
            else if (c == '>' && brackets == 0) return i + 1;
        }
        return -1;
    }

    /// <summary>True: starts with it; false: too short to tell but so far equal; null: does not.</summary>
    private static bool? Prefix(ReadOnlySpan<byte> data, ReadOnlySpan<byte> marker)
    {
        int n = Math.Min(data.Length, marker.Length);
        if (!data[..n].SequenceEqual(marker[..n])) return null;
        return n == marker.Length;
    }
}
