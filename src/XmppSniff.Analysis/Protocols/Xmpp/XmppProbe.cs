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

    /// <summary>True: starts with it; false: too short to tell but so far equal; null: does not.</summary>
    private static bool? Prefix(ReadOnlySpan<byte> data, ReadOnlySpan<byte> marker)
    {
        int n = Math.Min(data.Length, marker.Length);
        if (!data[..n].SequenceEqual(marker[..n])) return null;
        return n == marker.Length;
    }
}
