using System.Text;

namespace XmppSniff.Tui.Text;

/// <summary>
/// Indents one XMPP element for reading: a tag per line, text on its own line unless it is an
/// element's only content. Nothing is parsed beyond tag boundaries and nothing is expanded, so
/// broken or truncated XML still prints (as far as it goes).
/// </summary>
public static class XmlPretty
{
    /// <summary>A start tag longer than this gets one attribute per line (stream headers carry half a dozen).</summary>
    public const int LongTag = 100;

    public static List<string> Lines(string xml, string indentUnit = "  ")
    {
        var lines = new List<string>();
        var tokens = Tokens(xml);
        int depth = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (token.StartsWith("</", StringComparison.Ordinal))
            {
                depth = Math.Max(0, depth - 1);
                lines.Add(Indent(depth, indentUnit) + token);
            }
            else if (token.StartsWith('<'))
            {
                bool selfClosing = token.EndsWith("/>", StringComparison.Ordinal) || token.StartsWith("<?", StringComparison.Ordinal) || token.StartsWith("<!", StringComparison.Ordinal);
                // <a>text</a> on one line: the common case (body, jid, resource).
                if (!selfClosing && i + 2 < tokens.Count && !tokens[i + 1].StartsWith('<') && tokens[i + 2].StartsWith("</", StringComparison.Ordinal))
                {
                    lines.Add(Indent(depth, indentUnit) + token + tokens[i + 1].Trim() + tokens[i + 2]);
                    i += 2;
                    continue;
                }
                AddTag(lines, Indent(depth, indentUnit), token);
                if (!selfClosing) depth++;
            }
            else
            {
                foreach (string part in token.Trim().Split('\n'))
                    if (part.Trim().Length > 0) lines.Add(Indent(depth, indentUnit) + part.Trim());
            }
        }
        return lines;
    }

    private static void AddTag(List<string> lines, string indent, string tag)
    {
        if (tag.Length <= LongTag)
        {
            lines.Add(indent + tag);
            return;
        }
        List<string> parts = TagParts(tag);
        lines.Add(indent + parts[0]);
        for (int i = 1; i < parts.Count; i++) lines.Add(indent + "    " + parts[i]);
    }

    /// <summary>"&lt;name", then each attribute (quotes respected), the last one carrying the closing "&gt;" or "/&gt;".</summary>
    private static List<string> TagParts(string tag)
    {
        var parts = new List<string>();
        int start = 0;
        char quote = '\0';
        for (int i = 0; i < tag.Length; i++)
        {
            char c = tag[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'') quote = c;
            else if (char.IsWhiteSpace(c))
            {
                if (i > start) parts.Add(tag[start..i]);
                start = i + 1;
            }
        }
        if (start < tag.Length) parts.Add(tag[start..]);
        // A lone "/>" or ">" joins the attribute before it.
        if (parts.Count > 1 && parts[^1] is "/>" or ">")
        {
            parts[^2] += " " + parts[^1];
            parts.RemoveAt(parts.Count - 1);
        }
        return parts;
    }

    private static string Indent(int depth, string unit) => depth == 0 ? "" : new StringBuilder().Insert(0, unit, Math.Min(depth, 40)).ToString();

    /// <summary>Splits into tags (quotes respected, so '>' in an attribute stays inside) and the text between, whitespace-only text dropped.</summary>
    private static List<string> Tokens(string xml)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < xml.Length)
        {
            if (xml[i] == '<')
            {
                int end = TagEnd(xml, i);
                tokens.Add(xml[i..end]);
                i = end;
            }
            else
            {
                int next = xml.IndexOf('<', i);
                if (next < 0) next = xml.Length;
                string text = xml[i..next];
                if (!string.IsNullOrWhiteSpace(text)) tokens.Add(text);
                i = next;
            }
        }
        return tokens;
    }

    private static int TagEnd(string xml, int start)
    {
        char quote = '\0';
        for (int i = start + 1; i < xml.Length; i++)
        {
            char c = xml[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'') quote = c;
            else if (c == '>') return i + 1;
        }
        return xml.Length;
    }
}
