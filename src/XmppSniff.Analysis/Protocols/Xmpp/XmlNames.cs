using System.Text;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>The element and attribute names (and the short attribute values) XMPP repeats in every stanza, as shared strings: no allocation per use.</summary>
internal static class XmlNames
{
    private static readonly string[] Common =
    [
        "message", "presence", "iq", "body", "subject", "thread", "show", "status", "priority", "error", "query",
        "id", "type", "to", "from", "xmlns", "xml:lang", "xmlns:stream", "stream:stream", "stream:features",
        "r", "a", "h", "x", "c", "item", "active", "composing", "paused", "request", "received", "delay", "stamp",
        "jid", "name", "node", "ver", "hash", "code", "text", "bind", "resource", "ping", "stanza-id", "by",
        "origin-id", "markable", "displayed", "store", "no-store", "forwarded", "result", "set", "get",
        "features", "stream", "starttls", "required", "mechanisms", "mechanism", "auth", "challenge", "response",
        "success", "failure", "enable", "enabled", "resume", "resumed", "session", "sm", "csi", "register",
        "compression", "method", "proceed", "version", "xmlns:db", "stream:error", "handshake", "db:result",
        "chat", "groupchat", "normal", "headline", "error", "unavailable", "subscribe", "subscribed", "unsubscribe",
        "unsubscribed", "probe", "true", "false", "1", "0", "en", "1.0", "sha-1", "cancel", "modify", "wait",
        "PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256", "DIGEST-MD5", "away", "dnd", "xa", "max",
    ];

    private static readonly Dictionary<int, string[]> ByLength = Common.Distinct().GroupBy(n => n.Length).ToDictionary(g => g.Key, g => g.ToArray());

    public static string Get(ReadOnlySpan<byte> name) => TryGet(name, out string? known) ? known : XmlStringCache.Get(name);

    public static bool TryGet(ReadOnlySpan<byte> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? known)
    {
        if (ByLength.TryGetValue(name.Length, out string[]? candidates))
            foreach (string candidate in candidates)
                if (Matches(name, candidate))
                {
                    known = candidate;
                    return true;
                }
        known = null;
        return false;
    }

    private static bool Matches(ReadOnlySpan<byte> name, string known)
    {
        for (int i = 0; i < name.Length; i++)
            if (name[i] != known[i]) return false;
        return true;
    }
}
