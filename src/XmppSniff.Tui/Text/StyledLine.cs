namespace XmppSniff.Tui.Text;

/// <summary>How a line of a detail page is coloured: by who sent it, or by what it is.</summary>
public enum LineStyle
{
    Normal,
    Heading,
    Client,
    Server,
    Close,
    Dim,
    Error,
}

/// <summary>One line of a detail page (ladder, follow, stanza, packet, help, stats).</summary>
public readonly record struct StyledLine(string Text, LineStyle Style = LineStyle.Normal)
{
    public override string ToString() => Text;
}
