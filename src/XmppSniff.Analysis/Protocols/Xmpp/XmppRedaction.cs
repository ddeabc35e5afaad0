using System.Text;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Replaces secrets in an element's text with a marker: SASL payloads (PLAIN carries the password in
/// base64, other mechanisms carry what an attacker could replay or crack) and legacy or registration passwords.
/// </summary>
public static class XmppRedaction
{
    public static bool IsSecret(XmlNode node, bool isRoot) =>
        (isRoot && node.Namespace == XmppNs.Sasl && node.LocalName is "auth" or "challenge" or "response" or "success")
        || node.LocalName is "password" or "digest";

    public static string Redact(ReadOnlySpan<byte> bytes, XmlNode root)
    {
        var spans = new List<(int Start, int End)>();
        Collect(root, true, spans);
        if (spans.Count == 0) return Encoding.UTF8.GetString(bytes);
        spans.Sort();
        var xml = new StringBuilder(bytes.Length);
        int at = 0;
        foreach (var (start, end) in spans)
        {
            if (start < at) continue;
            xml.Append(Encoding.UTF8.GetString(bytes[at..start]));
            if (end > start) xml.Append($"[redacted {end - start} bytes]");
            at = end;
        }
        xml.Append(Encoding.UTF8.GetString(bytes[at..]));
        return xml.ToString();
    }

    private static void Collect(XmlNode node, bool isRoot, List<(int, int)> spans)
    {
        if (IsSecret(node, isRoot)) spans.AddRange(node.TextSpans.Where(s => !IsBlank(s)));
        foreach (XmlNode child in node.Children) Collect(child, false, spans);
    }

    private static bool IsBlank((int Start, int End) span) => span.End <= span.Start;
}
