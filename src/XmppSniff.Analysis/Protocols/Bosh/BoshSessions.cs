using System.Text;
using System.Text.RegularExpressions;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Bosh;

/// <summary>
/// XMPP over BOSH (XEP-0124/0206): every HTTP exchange carries a &lt;body/&gt; wrapper whose
/// children are XMPP elements. Sessions are grouped by their sid across the many HTTP
/// connections that carry them, and each session's children go to one XMPP analyzer, client
/// bodies as client-to-server, responses as server-to-client.
/// </summary>
public sealed partial class BoshSessions
{
    /// <summary>Sessions remembered at once; the oldest is dropped past this.</summary>
    private const int MaxSessions = 4096;

    private readonly Dictionary<string, XmppAnalyzer> _sessions = [];
    private readonly Queue<string> _order = new();

    /// <summary>Sessions seen so far.</summary>
    public int Count => _sessions.Count;

    /// <summary>Hands one exchange's bodies to its session's analyzer.</summary>
    internal void Exchange(Flow flow, BoshBodies bodies, StreamPosition responseAt)
    {
        ReadOnlySpan<byte> request = bodies.Request.Span, response = bodies.Response.Span;
        string? sid = Attribute(request, "sid") ?? Attribute(response, "sid");
        if (sid is null) return;
        if (!_sessions.TryGetValue(sid, out XmppAnalyzer? session))
        {
            if (_sessions.Count >= MaxSessions && _order.TryDequeue(out string? oldest)) _sessions.Remove(oldest);
            session = new XmppAnalyzer(flow.Id, flow.Client, flow.Server, e => flow.Output.Emit(e),
                XmppOptions.For(flow.Output));
            _sessions[sid] = session;
            _order.Enqueue(sid);
        }
        session.Consume(FlowSide.Client, Children(request), bodies.RequestAt);
        session.Consume(FlowSide.Server, Children(response), responseAt);
    }

    /// <summary>What lies between &lt;body ...&gt; and &lt;/body&gt;; empty for &lt;body .../&gt; or no body.</summary>
    private static ReadOnlySpan<byte> Children(ReadOnlySpan<byte> xml)
    {
        int start = xml.IndexOf("<body"u8);
        if (start < 0) return default;
        int open = xml[start..].IndexOf((byte)'>');
        if (open < 0 || xml[start + open - 1] == '/') return default;
        int end = xml.LastIndexOf("</body>"u8);
        return end > start + open ? xml[(start + open + 1)..end] : default;
    }

    /// <summary>An attribute of the &lt;body&gt; start tag, either quote style.</summary>
    private static string? Attribute(ReadOnlySpan<byte> xml, string name)
    {
        int start = xml.IndexOf("<body"u8);
        if (start < 0) return null;
        int open = xml[start..].IndexOf((byte)'>');
        if (open < 0) return null;
        string tag = Encoding.UTF8.GetString(xml.Slice(start, open));
        Match m = AttributePattern().Match(tag);
        for (; m.Success; m = m.NextMatch())
            if (m.Groups[1].Value == name) return m.Groups[3].Value;
        return null;
    }

    [GeneratedRegex("""\s([\w:.-]+)\s*=\s*(["'])(.*?)\2""")]
    private static partial Regex AttributePattern();
}
