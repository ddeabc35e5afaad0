using System.Buffers;
using System.Text;
using XmppSniff.Core;

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

    /// <summary>The element's bytes (made valid UTF-8) with every secret replaced by "[redacted N bytes]"; null when it holds none.</summary>
    public static Utf8Text? Redact(ReadOnlySpan<byte> bytes, XmlNode root)
    {
        if (!HoldsSecret(root, true)) return null;
        var spans = new List<(int Start, int End)>();
        Collect(root, true, spans);
        if (spans.Count == 0) return null;
        spans.Sort();
        var xml = new ArrayBufferWriter<byte>(bytes.Length);
        int at = 0;
        foreach (var (start, end) in spans)
        {
            if (start < at) continue;
            xml.Write(bytes[at..start]);
            if (end > start) xml.Write(Encoding.ASCII.GetBytes($"[redacted {end - start} bytes]"));
            at = end;
        }
        xml.Write(bytes[at..]);
        return XmlText.Utf8(xml.WrittenSpan);
    }

    // Checked first so the many elements without secrets cost no allocation.
    private static bool HoldsSecret(XmlNode node, bool isRoot)
    {
        if (IsSecret(node, isRoot)) return true;
        foreach (XmlNode child in node.ChildSpan)
            if (HoldsSecret(child, false)) return true;
        return false;
    }

    private static void Collect(XmlNode node, bool isRoot, List<(int, int)> spans)
    {
        if (IsSecret(node, isRoot)) spans.AddRange(node.TextSpans.Where(s => !IsBlank(s)));
        foreach (XmlNode child in node.ChildSpan) Collect(child, false, spans);
    }

    private static bool IsBlank((int Start, int End) span) => span.End <= span.Start;
}
