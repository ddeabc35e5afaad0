using System.Text;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>Turns a decoded top-level element into the words a person reads: kind, one-line summary, body, error.</summary>
public static class XmppDescriber
{
    public static bool IsStanza(XmlNode n) =>
        n.LocalName is "message" or "presence" or "iq"
        && (n.Namespace is XmppNs.Client or XmppNs.Server or "" || n.Namespace.StartsWith("jabber:component:", StringComparison.Ordinal));

    public static Utf8Text? Body(XmlNode n) => IsStanza(n) && n.LocalName == "message" && n.Child("body") is { } body ? new Utf8Text(body.TextUtf8) : null;

    /// <summary>A stanza error as "type/condition", a stream error or SASL/TLS failure as its condition.</summary>
    public static string? Error(XmlNode n)
    {
        if (IsStanza(n))
        {
            if (n.Attribute("type") != "error") return null;
            XmlNode? error = n.Child("error");
            if (error is null) return "error";
            string? condition = error.Children.FirstOrDefault(c => c.Namespace == XmppNs.Stanzas && c.LocalName != "text")?.LocalName;
            string? text = error.Child("text")?.Text;
            return $"{error.Attribute("type") ?? "?"}/{condition ?? "?"}" + (string.IsNullOrEmpty(text) ? "" : $" ({text})");
        }
        if (n.LocalName == "error" && n.Namespace == XmppNs.Streams) return Condition(n, XmppNs.StreamErrors);
        if (n.LocalName == "failure") return Condition(n, null) ?? "failure";
        if (n.LocalName == "failed" && IsSm(n)) return Condition(n, XmppNs.Stanzas) ?? "failed";
        return null;
    }

    private static string? Condition(XmlNode n, string? ns)
    {
        string? condition = n.Children.FirstOrDefault(c => c.LocalName != "text" && (ns is null || c.Namespace == ns))?.LocalName;
        string? text = n.Child("text")?.Text;
        if (condition is null && string.IsNullOrEmpty(text)) return null;
        return (condition ?? "?") + (string.IsNullOrEmpty(text) ? "" : $" ({text})");
    }

    private static bool IsSm(XmlNode n) => n.Namespace.StartsWith("urn:xmpp:sm:", StringComparison.Ordinal);

    // One builder per thread for the summaries: a new one per stanza grows through several chunks.
    [ThreadStatic] private static StringBuilder? t_line;

    /// <summary>The thread's summary builder, emptied and starting with <paramref name="start"/>; only one summary is built at a time.</summary>
    internal static StringBuilder Line(string start) => (t_line ??= new StringBuilder(256)).Clear().Append(start);

    public static string Summarize(XmlNode n, bool showSecrets)
    {
        if (IsStanza(n))
            return n.LocalName switch
            {
                "message" => Message(n),
                "presence" => Presence(n),
                _ => Iq(n),
            };
        if (n.Namespace == XmppNs.Streams)
            return n.LocalName switch
            {
                "features" => Features(n),
                "error" => "stream error: " + (Error(n) ?? "?"),
                _ => n.Name,
            };
        if (n.Namespace == XmppNs.Sasl) return Sasl(n, showSecrets);
        if (n.Namespace == XmppNs.Tls)
            return n.LocalName switch
            {
                "starttls" => "STARTTLS request",
                "proceed" => "STARTTLS proceed: TLS follows",
                "failure" => "STARTTLS failure",
                _ => "TLS " + n.LocalName,
            };
        if (IsSm(n)) return StreamManagement(n);
        if (n.Namespace == XmppNs.Compression)
            return n.LocalName switch
            {
                "compress" => "compress " + (n.Child("method")?.Text ?? ""),
                "compressed" => "compressed: the stream restarts compressed",
                _ => "compression " + n.LocalName + Tail(Error(n)),
            };
        if (n.LocalName == "active" || n.LocalName == "inactive") return $"CSI {n.LocalName}";
        if (n.Namespace == XmppNs.Dialback) return $"dialback {n.LocalName} {Attrs(n, "type", "from", "to")}".TrimEnd();
        if (n.LocalName == "handshake") return "component handshake";
        StringBuilder text = Line(n.LocalName);
        text.Append(" (").Append(XmppExtensions.NameOf(n.Namespace)).Append(')');
        AppendPayloads(text, n);
        return text.ToString();
    }

    private static string Message(XmlNode n)
    {
        StringBuilder text = Line("message");
        if (n.Attribute("type") is { } type) text.Append(' ').Append(type);
        if (n.Child("subject") is { } subject) AppendClip(text.Append(" subject \""), subject).Append('"');
        if (n.Child("body") is { } body) AppendClip(text.Append(": \""), body).Append('"');
        AppendPayloads(text, n, "body", "subject", "thread");
        return text.ToString();
    }

    private static string Presence(XmlNode n)
    {
        StringBuilder text = Line("presence");
        text.Append(' ').Append(n.Attribute("type") ?? "available");
        if (n.Child("show") is { } show) text.Append(" show=").Append(show.Text);
        if (n.Child("status") is { } status) AppendClip(text.Append(" \""), status).Append('"');
        if (n.Child("priority") is { } priority) text.Append(" priority=").Append(priority.Text);
        AppendPayloads(text, n, "show", "status", "priority");
        return text.ToString();
    }

    private static string Iq(XmlNode n)
    {
        StringBuilder text = Line("iq ").Append(n.Attribute("type") ?? "?");
        bool empty = true;
        foreach (XmlNode c in n.ChildSpan) empty &= c.LocalName == "error";
        if (empty && n.Attribute("type") == "result") text.Append(" (empty)");
        AppendPayloads(text, n);
        if (Error(n) is { } error) text.Append(": ").Append(error);
        return text.ToString();
    }

    /// <summary>Names every child payload by its extension, with the detail a reader looks for first.</summary>
    // Names already written by AppendPayloads: a few per stanza, one list per thread instead of a set per stanza.
    [ThreadStatic] private static List<string>? t_named;

    private static void AppendPayloads(StringBuilder text, XmlNode n, params ReadOnlySpan<string> skip)
    {
        List<string> named = t_named ??= [];
        named.Clear();
        foreach (XmlNode child in n.ChildSpan)
        {
            if (skip.Contains(child.LocalName) && child.Namespace == n.Namespace) continue;
            string name = Payload(child);
            if (name.Length == 0 || named.Contains(name)) continue;
            text.Append(named.Count == 0 ? " " : ", ").Append(name);
            named.Add(name);
        }
    }

    private static string Payload(XmlNode c)
    {
        string ext = XmppExtensions.NameOf(c.Namespace);
        switch (ext)
        {
            case "chat state":
                return "chat state " + c.LocalName;
            case "receipt":
                return c.LocalName == "request" ? "receipt request" : "receipt " + c.LocalName;
            case "carbons":
                return "carbons " + c.LocalName;
            case "chat marker":
                return "chat marker " + c.LocalName;
            case "delay":
                return "delay " + (c.Attribute("stamp") ?? "");
            case "MAM":
                return "MAM " + c.LocalName;
            case "MUC user":
                if (c.Child("invite") is not null) return "MUC invite";
                return "MUC user" + (c.Children.Any(s => s.LocalName == "status") ? " status " + string.Join(",", c.Children.Where(s => s.LocalName == "status").Select(s => s.Attribute("code"))) : "");
            case "stanza error":
                return "";
            case "bind":
                return "bind" + (c.Child("jid")?.Text is { } jid ? " " + jid : c.Child("resource")?.Text is { } res ? " resource=" + res : "");
            case "pubsub" or "pubsub event" or "pubsub owner":
            {
                XmlNode? op = c.Children.FirstOrDefault();
                return ext + (op is null ? "" : " " + op.LocalName + (op.Attribute("node") is { } node ? " " + node : ""));
            }
            case "jingle":
                return "jingle " + (c.Attribute("action") ?? "");
            case "IBB":
                return "IBB " + c.LocalName;
            case "ad-hoc command":
                return "ad-hoc command " + (c.Attribute("node") ?? "");
        }
        if (c.LocalName == "error" && c.Namespace is XmppNs.Client or XmppNs.Server or "") return ""; // in the error field
        if (!XmppExtensions.IsKnown(c.Namespace) && c.Namespace is XmppNs.Client or XmppNs.Server or "") return c.LocalName;
        if (ext == c.Namespace) return $"{c.LocalName} ({c.Namespace})";
        return ext;
    }

    private static string Features(XmlNode n)
    {
        StringBuilder text = Line("features: ");
        List<string> named = t_named ??= [];
        named.Clear();
        foreach (XmlNode f in n.ChildSpan)
        {
            string name = f.Namespace switch
            {
                XmppNs.Tls => f.Child("required") is not null ? "starttls (required)" : "starttls",
                XmppNs.Sasl => "SASL [" + JoinTexts(f, "mechanism") + "]",
                XmppNs.Bind => "bind",
                XmppNs.Session => "session",
                XmppNs.Csi => "csi",
                XmppNs.Register => "register",
                XmppNs.CompressionFeature => "compression [" + JoinTexts(f, null) + "]",
                _ when IsSm(f) => "sm",
                _ when f.Namespace == "http://jabber.org/protocol/caps" => "caps",
                _ => XmppExtensions.NameOf(f.Namespace) is var x && x == f.Namespace ? f.LocalName : x,
            };
            if (named.Contains(name)) continue;
            text.Append(named.Count == 0 ? "" : ", ").Append(name);
            named.Add(name);
        }
        return named.Count == 0 ? "features: (none)" : text.ToString();
    }

    /// <summary>The texts of the children called <paramref name="localName"/> (any, if null), separated by ", ".</summary>
    private static string JoinTexts(XmlNode n, string? localName)
    {
        var text = new StringBuilder();
        foreach (XmlNode c in n.ChildSpan)
            if (localName is null || c.LocalName == localName) (text.Length == 0 ? text : text.Append(", ")).Append(c.Text);
        return text.ToString();
    }

    private static string Sasl(XmlNode n, bool showSecrets)
    {
        string payload = n.Text.Trim();
        string data = payload.Length == 0 ? "" : showSecrets ? " " + payload : $" [{payload.Length} chars redacted]";
        return n.LocalName switch
        {
            "auth" => "SASL auth " + (n.Attribute("mechanism") ?? "?") + data,
            "challenge" => "SASL challenge" + data,
            "response" => "SASL response" + data,
            "success" => "SASL success" + data + "; the stream restarts",
            "failure" => "SASL failure: " + (Error(n) ?? "?"),
            "abort" => "SASL abort",
            _ => "SASL " + n.LocalName,
        };
    }

    private static string StreamManagement(XmlNode n) => n.LocalName switch
    {
        "enable" => "SM enable" + (n.Attribute("resume") is "true" or "1" ? " (resume)" : ""),
        "enabled" => "SM enabled" + Tail(Attrs(n, "id", "resume", "max")),
        "resume" => "SM resume" + Tail(Attrs(n, "previd", "h")),
        "resumed" => "SM resumed" + Tail(Attrs(n, "previd", "h")),
        "failed" => "SM failed" + Tail(Error(n)),
        "r" => "SM ack request",
        "a" => "SM ack h=" + (n.Attribute("h") ?? "?"),
        _ => "SM " + n.LocalName,
    };

    /// <summary>"name=value" for each of <paramref name="names"/> the element has, separated by spaces.</summary>
    private static string Attrs(XmlNode n, params ReadOnlySpan<string> names)
    {
        var text = new StringBuilder();
        foreach (string name in names)
            if (n.Attribute(name) is { } value) (text.Length == 0 ? text : text.Append(' ')).Append(name).Append('=').Append(value);
        return text.ToString();
    }

    private static string Tail(string? s) => string.IsNullOrEmpty(s) ? "" : " " + s;

    private static readonly System.Buffers.SearchValues<char> LineBreaks = System.Buffers.SearchValues.Create("\r\n\f\u0085\u2028\u2029");

    /// <summary>
    /// Appends the node's text on one line (line endings as single spaces, as ReplaceLineEndings makes them),
    /// cut to 77 characters and "..." when longer than 80; straight into the summary, without a string of its own.
    /// </summary>
    private static StringBuilder AppendClip(StringBuilder text, XmlNode node)
    {
        const int Max = 80;
        ReadOnlySpan<char> rest = node.TextStart(200);
        int start = text.Length;
        while (rest.Length > 0 && text.Length - start <= Max)
        {
            int room = Max + 1 - (text.Length - start);
            int brk = rest[..Math.Min(rest.Length, room)].IndexOfAny(LineBreaks);
            if (brk < 0)
            {
                text.Append(rest[..Math.Min(rest.Length, room)]);
                break;
            }
            text.Append(rest[..brk]).Append(' ');
            rest = rest[(brk + (rest[brk] == '\r' && brk + 1 < rest.Length && rest[brk + 1] == '\n' ? 2 : 1))..];
        }
        if (text.Length - start > Max)
        {
            text.Length = start + Max - 3;
            text.Append("...");
        }
        return text;
    }
}
