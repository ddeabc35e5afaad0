using System.Text;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>The element and attribute names XMPP repeats in every stanza, as shared strings: no allocation per use.</summary>
internal static class XmlNames
{
    private static readonly string[] Common =
    [
        "message", "presence", "iq", "body", "subject", "thread", "show", "status", "priority", "error", "query",
        "id", "type", "to", "from", "xmlns", "xml:lang", "xmlns:stream", "stream:stream", "stream:features",
        "r", "a", "h", "x", "c", "item", "active", "composing", "paused", "request", "received", "delay", "stamp",
        "jid", "name", "node", "ver", "hash", "code", "text", "bind", "resource", "ping", "stanza-id", "by",
        "origin-id", "markable", "displayed", "store", "no-store", "forwarded", "result", "set", "get",
    ];

    private static readonly Dictionary<int, string[]> ByLength = Common.GroupBy(n => n.Length).ToDictionary(g => g.Key, g => g.ToArray());

    public static string Get(ReadOnlySpan<byte> name)
    {
        if (ByLength.TryGetValue(name.Length, out string[]? candidates))
            foreach (string known in candidates)
                if (Matches(name, known)) return known;
        return Encoding.UTF8.GetString(name);
    }

    private static bool Matches(ReadOnlySpan<byte> name, string known)
    {
        for (int i = 0; i < name.Length; i++)
            if (name[i] != known[i]) return false;
        return true;
    }
}
