using XmppSniff.Tui.Text;

namespace XmppSniff.Tui.Views;

/// <summary>Every key, as `?` shows it.</summary>
internal static class HelpPage
{
    public static List<StyledLine> Build() =>
    [
        new("xmppsniff: keys", LineStyle.Heading),
        new(""),
        new("  1 2 3 4 5     Connections, Stanzas, Packets, HTTP, Stats (also: click the tab)"),
        new("  ↑ ↓ PgUp PgDn Home End   move (g G: first, last); the mouse wheel scrolls, a click selects"),
        new("  Enter         open the selected row (double-click too):"),
        new("                  connection → lifecycle ladder    stanza → XML tree and paired iq"),
        new("                  packet → layer tree and hex      HTTP transaction → its connection's ladder"),
        new("  l  f          in a connection: ladder, follow (both directions, XMPP pretty-printed)"),
        new("  x             stanzas of the selected connection (Connections view or a connection page)"),
        new("  p             packets: of the connection (Connections, ladder, follow), or the stanza's first frame"),
        new("  s             sort the Connections view (duration, bytes, packets, stanzas, state, capture order)"),
        new("  /             filter the current view; Enter applies, Esc cancels, empty clears"),
        new("  Esc           close the page, help or filter bar"),
        new("  ?             this help      q  quit"),
        new(""),
        new("filters: words separated by spaces, all must match", LineStyle.Heading),
        new("  xmpp  tcp  udp  http  tls  dns    protocol of the connection"),
        new("  state=RSTO  kind=long  app=echo   a field equals (ignoring case); name!=value negates"),
        new("  port 5222   host 127.0.0.1        either end of the connection"),
        new("  from=alice@example.test  type=chat  name=iq  dir=c2s  flow=3   (Stanzas view)"),
        new("  method=POST  status=404  uri=/http-bind*                       (HTTP view; * = prefix)"),
        new("  !word         not word        anything else: text search in the row"),
        new(""),
        new("colours: client → server cyan, server → client green, FIN/RST magenta, notes red", LineStyle.Dim),
    ];
}
