namespace XmppSniff.Tui.Views;

/// <summary>What the page over the tables shows, if anything.</summary>
internal enum DetailKind
{
    None,
    Ladder,
    Follow,
    Stanza,
    Packet,
    Help,
}
