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

    // Open addressing on a hash of the bytes: one or two probes per name, no per-length candidate scan.
    private const int Slots = 512;
    private static readonly (byte[] Utf8, string Text)[] Table = Fill();

    public static string Get(ReadOnlySpan<byte> name) => TryGet(name, out string? known) ? known : XmlStringCache.Get(name);

    public static bool TryGet(ReadOnlySpan<byte> name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? known)
    {
        if (name.Length <= 20)
            for (int i = Hash(name); Table[i].Utf8 is { } utf8; i = (i + 1) % Slots)
                if (name.SequenceEqual(utf8))
                {
                    known = Table[i].Text;
                    return true;
                }
        known = null;
        return false;
    }

    private static int Hash(ReadOnlySpan<byte> name)
    {
        uint h = 2166136261;
        foreach (byte b in name) h = (h ^ b) * 16777619;
        return (int)(h % Slots);
    }

    private static (byte[], string)[] Fill()
    {
        var table = new (byte[] Utf8, string Text)[Slots];
        foreach (string name in Common.Distinct())
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            if (utf8.Length > 20) throw new InvalidOperationException(name + " is longer than the lookup reads");
            int i = Hash(utf8);
            while (table[i].Utf8 is not null) i = (i + 1) % Slots;
            table[i] = (utf8, name);
        }
        return table;
    }
}
