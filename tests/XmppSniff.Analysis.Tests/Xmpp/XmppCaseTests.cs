using System.Text;
using System.Xml.Linq;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>
/// The 174 stanza cases of cases/ (see cases/SOURCES.md), each wrapped in a stream: exactly one
/// element, whose name, id, type, from and to agree with System.Xml.Linq reading the same case
/// (an independent parser), and whose summary names its payload. Fed whole, split at every byte,
/// and one byte at a time.
/// </summary>
public class XmppCaseTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Xmpp", "cases");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Folder, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Folder, file).Replace('\\', '/'));
        return data;
    }

    [Fact]
    public void AllCasesArePresent() => Assert.Equal(174, Cases().Count);

    private static byte[] Wrapped(string text)
    {
        if (text.StartsWith("<?xml", StringComparison.Ordinal)) text = text[(text.IndexOf("?>", StringComparison.Ordinal) + 2)..];
        return Encoding.UTF8.GetBytes(XmppHarness.ClientHeader + text + "</stream:stream>");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodesToExactlyOneElement(string name)
    {
        string text = File.ReadAllText(Path.Combine(Folder, name));
        byte[] stream = Wrapped(text);
        List<XmppElement> whole = XmppHarness.Whole(stream);

        List<XmppElement> decoded = whole.Where(e => e.Name != "unanswered-iq").ToList();
        Assert.Equal(["stream-open", "*", "stream-close"], decoded.Select(e => e.Kind is "stanza" or "nonza" ? "*" : e.Kind));
        bool request = decoded[1].Name == "iq" && decoded[1].Type is "get" or "set";
        Assert.Equal(request ? 1 : 0, whole.Count(e => e.Name == "unanswered-iq"));
        XmppElement element = decoded[1];
        Assert.Null(element.Truncated ? "truncated" : null);

        XElement root = XElement.Parse(text.TrimStart());
        Assert.Equal(root.Name.LocalName, element.Name);
        Assert.Equal((string?)root.Attribute("id"), element.Id);
        Assert.Equal((string?)root.Attribute("type"), element.Type);
        Assert.Equal((string?)root.Attribute("from"), element.From);
        Assert.Equal((string?)root.Attribute("to"), element.To);
        string ns = root.Name.NamespaceName.Length == 0 ? "jabber:client" : root.Name.NamespaceName;
        Assert.Equal(ns, element.Namespace);
        Assert.Equal(root.Name.LocalName is "message" or "presence" or "iq" ? "stanza" : "nonza", element.Kind);
        if (root.Name.LocalName == "message") Assert.Equal(root.Elements().FirstOrDefault(e => e.Name.LocalName == "body")?.Value, element.Body);

        foreach (string payload in ExpectedPayloadNames(root))
            Assert.Contains(payload, element.Summary, StringComparison.OrdinalIgnoreCase);

        for (int cut = 1; cut < stream.Length; cut++)
            Assert.Equal(whole, XmppHarness.Split(stream, [cut]));
        Assert.Equal(whole, XmppHarness.ByteByByte(stream));
    }

    /// <summary>What a reader expects the summary to name: each payload child's extension (or the element's own).</summary>
    private static IEnumerable<string> ExpectedPayloadNames(XElement root)
    {
        string rootNs = root.Name.NamespaceName;
        bool stanza = root.Name.LocalName is "message" or "presence" or "iq";
        if (!stanza)
        {
            if (rootNs == XmppNs.Streams) yield return "stream error";
            else yield return XmppExtensions.NameOf(rootNs);
            yield break;
        }
        foreach (XElement child in root.Elements())
        {
            string ns = child.Name.NamespaceName;
            if (ns == rootNs || ns == XmppNs.Client || ns.Length == 0) continue; // body, show, error...: fields of the stanza itself
            yield return XmppExtensions.NameOf(ns) switch
            {
                "stanza error" => "",
                "MUC user" => "MUC", // an invitation is named as such
                var n => n,
            };
        }
    }
}
