using System.Runtime.CompilerServices;
using XmppSniff.Core;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Text;

/// <summary>
/// The Stats view's XMPP element and HTTP transaction counts, kept up to date as rows arrive: each look adds only
/// the rows added since the last (a 350 MB capture holds 320,000 stanzas; counting them all again took 60 ms at
/// every refresh while it loaded). A live model drops its oldest rows; the counts keep those counted before
/// (the view looks five times a second, the engine drops thousands of rows at a time).
/// </summary>
internal sealed class RecordCounts
{
    private static readonly ConditionalWeakTable<CaptureModel, RecordCounts> ByModel = new();

    private int _stanzas, _http;

    public XmppTally Xmpp { get; } = new();
    public HttpTally Http { get; } = new();

    /// <summary>The counts for <paramref name="model"/>, caught up with its rows (one reader at a time: the UI thread).</summary>
    public static RecordCounts Of(CaptureModel model)
    {
        RecordCounts counts = ByModel.GetValue(model, _ => new RecordCounts());
        for (counts._stanzas = Math.Max(counts._stanzas, model.Stanzas.First); counts._stanzas < model.Stanzas.Count; counts._stanzas++)
            counts.Xmpp.Add(model.Stanzas[counts._stanzas]);
        for (counts._http = Math.Max(counts._http, model.Http.First); counts._http < model.Http.Count; counts._http++)
            counts.Http.Add(model.Http[counts._http]);
        return counts;
    }
}
