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
        var text = new StringBuilder(n.LocalName);
        text.Append(" (").Append(XmppExtensions.NameOf(n.Namespace)).Append(')');
        AppendPayloads(text, n);
        return text.ToString();
    }

    private static string Message(XmlNode n)
    {
        var text = new StringBuilder("message");
        if (n.Attribute("type") is { } type) text.Append(' ').Append(type);
        if (n.Child("subject") is { } subject) text.Append(" subject \"").Append(Clip(subject)).Append('"');
        if (n.Child("body") is { } body) text.Append(": \"").Append(Clip(body)).Append('"');
        AppendPayloads(text, n, "body", "subject", "thread");
        return text.ToString();
    }

    private static string Presence(XmlNode n)
    {
        var text = new StringBuilder("presence");
        text.Append(' ').Append(n.Attribute("type") ?? "available");
        if (n.Child("show") is { } show) text.Append(" show=").Append(show.Text);
        if (n.Child("status") is { } status) text.Append(" \"").Append(Clip(status)).Append('"');
        if (n.Child("priority") is { } priority) text.Append(" priority=").Append(priority.Text);
        AppendPayloads(text, n, "show", "status", "priority");
        return text.ToString();
    }

    private static string Iq(XmlNode n)
    {
        var text = new StringBuilder("iq ").Append(n.Attribute("type") ?? "?");
        XmlNode? payload = n.Children.FirstOrDefault(c => c.LocalName != "error");
        if (payload is null && n.Attribute("type") == "result") text.Append(" (empty)");
        AppendPayloads(text, n);
        if (Error(n) is { } error) text.Append(": ").Append(error);
        return text.ToString();
    }

    /// <summary>Names every child payload by its extension, with the detail a reader looks for first.</summary>
    private static void AppendPayloads(StringBuilder text, XmlNode n, params string[] skip)
    {
        var seen = new HashSet<string>();
        foreach (XmlNode child in n.Children)
        {
            if (skip.Contains(child.LocalName) && child.Namespace == n.Namespace) continue;
            string name = Payload(child);
            if (name.Length == 0) continue;
            if (seen.Add(name)) text.Append(seen.Count == 1 ? " " : ", ").Append(name);
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
        var parts = new List<string>();
        foreach (XmlNode f in n.Children)
        {
            parts.Add(f.Namespace switch
            {
                XmppNs.Tls => "starttls" + (f.Child("required") is not null ? " (required)" : ""),
                XmppNs.Sasl => "SASL [" + string.Join(", ", f.Children.Where(m => m.LocalName == "mechanism").Select(m => m.Text)) + "]",
                XmppNs.Bind => "bind",
                XmppNs.Session => "session",
                XmppNs.Csi => "csi",
                XmppNs.Register => "register",
                XmppNs.CompressionFeature => "compression [" + string.Join(", ", f.Children.Select(m => m.Text)) + "]",
                _ when IsSm(f) => "sm",
                _ when f.Namespace == "http://jabber.org/protocol/caps" => "caps",
                _ => XmppExtensions.NameOf(f.Namespace) is var x && x == f.Namespace ? f.LocalName : x,
            });
        }
        return "features: " + (parts.Count == 0 ? "(none)" : string.Join(", ", parts.Distinct()));
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

    private static string Attrs(XmlNode n, params string[] names) =>
        string.Join(' ', names.Select(a => n.Attribute(a) is { } v ? $"{a}={v}" : null).Where(s => s is not null));

    private static string Tail(string? s) => string.IsNullOrEmpty(s) ? "" : " " + s;

    private static string Clip(XmlNode node)
    {
        string text = node.TextStart(200).ReplaceLineEndings(" ");
        return text.Length <= 80 ? text : text[..77] + "...";
    }
}
