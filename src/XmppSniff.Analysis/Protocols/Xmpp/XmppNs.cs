namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>Namespaces the analyzer acts on (RFC 6120, RFC 7395, XEP-0198, XEP-0138).</summary>
public static class XmppNs
{
    public const string Streams = "http://etherx.jabber.org/streams";

    /// <summary>XMPP over WebSocket: &lt;open/&gt; and &lt;close/&gt; stand for the stream header and its end (RFC 7395).</summary>
    public const string Framing = "urn:ietf:params:xml:ns:xmpp-framing";

    public const string Client = "jabber:client";
    public const string Server = "jabber:server";
    public const string Dialback = "jabber:server:dialback";
    public const string Tls = "urn:ietf:params:xml:ns:xmpp-tls";
    public const string Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    public const string Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    public const string Session = "urn:ietf:params:xml:ns:xmpp-session";
    public const string Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public const string StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
    public const string StreamManagement = "urn:xmpp:sm:3";
    public const string StreamManagement2 = "urn:xmpp:sm:2";
    public const string Csi = "urn:xmpp:csi:0";
    public const string Compression = "http://jabber.org/protocol/compress";
    public const string CompressionFeature = "http://jabber.org/features/compress";
    public const string Register = "http://jabber.org/features/iq-register";
}

/// <summary>Readable names for payload namespaces, as a person reading a session would call them.</summary>
public static class XmppExtensions
{
    private static readonly Dictionary<string, string> Names = new()
    {
        ["jabber:iq:roster"] = "roster",
        ["http://jabber.org/protocol/disco#info"] = "disco#info",
        ["http://jabber.org/protocol/disco#items"] = "disco#items",
        ["urn:xmpp:ping"] = "ping",
        ["http://jabber.org/protocol/chatstates"] = "chat state",
        ["urn:xmpp:receipts"] = "receipt",
        ["urn:xmpp:carbons:2"] = "carbons",
        ["urn:xmpp:forward:0"] = "forwarded",
        ["http://jabber.org/protocol/muc"] = "MUC join",
        ["http://jabber.org/protocol/muc#user"] = "MUC user",
        ["http://jabber.org/protocol/muc#admin"] = "MUC admin",
        ["http://jabber.org/protocol/muc#owner"] = "MUC owner",
        ["jabber:x:conference"] = "MUC invite",
        ["urn:xmpp:delay"] = "delay",
        ["jabber:x:delay"] = "delay",
        ["urn:xmpp:mam:0"] = "MAM",
        ["urn:xmpp:mam:1"] = "MAM",
        ["urn:xmpp:mam:2"] = "MAM",
        ["urn:ietf:params:xml:ns:xmpp-bind"] = "bind",
        ["urn:ietf:params:xml:ns:xmpp-session"] = "session",
        ["vcard-temp"] = "vCard",
        ["vcard-temp:x:update"] = "vCard update",
        ["jabber:iq:version"] = "version",
        ["jabber:iq:last"] = "last activity",
        ["urn:xmpp:time"] = "time",
        ["jabber:x:data"] = "data form",
        ["http://jabber.org/protocol/pubsub"] = "pubsub",
        ["http://jabber.org/protocol/pubsub#event"] = "pubsub event",
        ["http://jabber.org/protocol/pubsub#owner"] = "pubsub owner",
        ["http://jabber.org/protocol/pubsub#errors"] = "pubsub error",
        ["urn:xmpp:jingle:1"] = "jingle",
        ["urn:xmpp:jingle-message:0"] = "jingle message",
        ["http://jabber.org/protocol/ibb"] = "IBB",
        ["http://jabber.org/protocol/bytestreams"] = "bytestreams",
        ["urn:xmpp:http:upload:0"] = "HTTP upload",
        ["urn:xmpp:http:upload"] = "HTTP upload",
        ["jabber:iq:private"] = "private storage",
        ["storage:bookmarks"] = "bookmarks",
        ["http://jabber.org/protocol/caps"] = "caps",
        ["jabber:iq:register"] = "register",
        ["jabber:iq:auth"] = "legacy auth",
        ["jabber:iq:search"] = "search",
        ["http://jabber.org/protocol/rsm"] = "RSM",
        ["urn:xmpp:extdisco:1"] = "external services",
        ["urn:xmpp:extdisco:2"] = "external services",
        ["http://jabber.org/protocol/commands"] = "ad-hoc command",
        ["jabber:x:oob"] = "OOB",
        ["jabber:iq:oob"] = "OOB",
        ["http://jabber.org/protocol/xhtml-im"] = "XHTML-IM",
        ["http://jabber.org/protocol/geoloc"] = "geoloc",
        ["http://jabber.org/protocol/nick"] = "nick",
        ["http://jabber.org/protocol/address"] = "addresses",
        ["http://jabber.org/protocol/si"] = "stream initiation",
        ["jabber:iq:privacy"] = "privacy lists",
        ["urn:xmpp:blocking"] = "blocking",
        ["urn:xmpp:sid:0"] = "stanza-id",
        ["urn:xmpp:message-correct:0"] = "correction",
        ["urn:xmpp:chat-markers:0"] = "chat marker",
        ["urn:xmpp:eme:0"] = "encryption",
        ["urn:xmpp:attention:0"] = "attention",
        ["urn:xmpp:hints"] = "hint",
        ["urn:xmpp:idle:1"] = "idle",
        ["jabber:x:event"] = "message events",
        ["jabber:x:signed"] = "signed",
        ["jabber:x:encrypted"] = "encrypted",
        ["http://jabber.org/protocol/mood"] = "mood",
        ["http://jabber.org/protocol/tune"] = "tune",
        ["http://jabber.org/protocol/activity"] = "activity",
        ["http://jabber.org/protocol/shim"] = "headers",
        ["urn:xmpp:avatar:data"] = "avatar data",
        ["urn:xmpp:avatar:metadata"] = "avatar metadata",
        ["http://jabber.org/protocol/feature-neg"] = "feature negotiation",
        ["urn:xmpp:hashes:2"] = "hashes",
        ["urn:xmpp:jingle:apps:file-transfer:5"] = "file transfer",
        ["urn:xmpp:reference:0"] = "reference",
        ["urn:xmpp:json:0"] = "JSON",
        ["urn:xmpp:bob"] = "bits of binary",
        ["urn:xmpp:media-element"] = "media",
        ["http://jabber.org/protocol/amp"] = "AMP",
        ["urn:xmpp:push:0"] = "push",
        ["urn:xmpp:csi:0"] = "CSI",
        ["urn:xmpp:sm:3"] = "stream management",
        ["jabber:component:accept"] = "component",
        ["urn:ietf:params:xml:ns:xmpp-stanzas"] = "stanza error",
        ["urn:xmpp:jingle:transfer:0"] = "jingle transfer",
        ["urn:xmpp:message-retract:0"] = "retraction",
        ["urn:xmpp:reactions:0"] = "reaction",
        ["urn:xmpp:omemo:2"] = "OMEMO",
        ["eu.siacs.conversations.axolotl"] = "OMEMO",
        ["urn:xmpp:openpgp:0"] = "OpenPGP",
        ["http://jabber.org/protocol/rosterx"] = "roster exchange",
        ["urn:xmpp:bookmarks:1"] = "bookmarks",
        ["urn:xmpp:mix:core:1"] = "MIX",
        ["urn:xmpp:muclight:0#configuration"] = "MUC light",
        ["urn:xmpp:fasten:0"] = "fastening",
        ["urn:xmpp:styling:0"] = "styling",
        ["urn:xmpp:spoiler:0"] = "spoiler",
        ["urn:xmpp:message-moderate:0"] = "moderation",
        ["urn:xmpp:thumbs:1"] = "thumbnail",
        ["urn:xmpp:sfs:0"] = "file sharing",
        ["urn:xmpp:file:metadata:0"] = "file metadata",
    };

    /// <summary>A readable name for the namespace: the known one, else a prefix-stripped form of the namespace itself.</summary>
    public static string NameOf(string ns)
    {
        if (Names.TryGetValue(ns, out string? name)) return name;
        if (ns.StartsWith("urn:xmpp:jingle:apps:", StringComparison.Ordinal)) return "jingle " + ns[21..];
        if (ns.StartsWith("urn:xmpp:jingle:transports:", StringComparison.Ordinal)) return "jingle transport " + ns[27..];
        if (ns.StartsWith("http://jabber.org/protocol/pubsub", StringComparison.Ordinal)) return "pubsub";
        if (ns.StartsWith("urn:xmpp:mam:", StringComparison.Ordinal)) return "MAM";
        return ns;
    }

    public static bool IsKnown(string ns) => Names.ContainsKey(ns);
}
