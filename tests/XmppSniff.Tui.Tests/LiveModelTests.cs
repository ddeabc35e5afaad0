using XmppSniff.Core;

namespace XmppSniff.Tui.Tests;

/// <summary>
/// The UI over a model still being filled, as a live capture fills it: rows appear as flows start,
/// the status line says it is loading, and a flow's ending replaces its live counters.
/// </summary>
public class LiveModelTests
{
    [Fact]
    public void A_flow_shows_live_while_open_and_its_record_once_ended()
    {
        var feed = new HandFilledModel().StartFlow();
        feed.Packet(0, true, TcpFlags.Syn, 100, 0);
        feed.Packet(0.001, false, TcpFlags.Syn | TcpFlags.Ack, 500, 0);
        using var screen = new Screen(feed.Model);

        string open = screen.Text;
        string row = screen.Lines.Single(l => l.Contains("10.0.0.1:40000"));
        Assert.Contains("live", row);
        Assert.Contains(" 2 ", row); // packets counted as they came
        Assert.Contains("loading", open);

        feed.Packet(0.002, true, TcpFlags.Ack, 101, 0);
        feed.Model.FlowEnded(feed.End("SF", CloseKind.Fin, FlowSide.Client));
        feed.Model.Done = true;
        string ended = screen.Lines.Single(l => l.Contains("10.0.0.1:40000"));
        Assert.Contains(" SF ", ended);
        Assert.Contains("xmpp", ended);
        Assert.DoesNotContain("loading", screen.Text);
    }

    [Fact]
    public void Rows_added_after_the_first_screen_appear_on_the_next_refresh()
    {
        var feed = new HandFilledModel();
        using var screen = new Screen(feed.Model);
        Assert.DoesNotContain("10.0.0.1:40000", screen.Text);
        feed.StartFlow();
        Assert.Contains("10.0.0.1:40000", screen.Text);
    }

    [Fact]
    public void A_packet_page_without_a_source_says_the_bytes_are_not_at_hand()
    {
        var feed = new HandFilledModel().StartFlow();
        feed.Packet(0, true, TcpFlags.Syn, 100, 0);
        feed.Model.Done = true;
        using var screen = new Screen(feed.Model);
        string text = screen.Press(Terminal.Gui.Input.Key.D3, Terminal.Gui.Input.Key.Enter).Text;
        Assert.Contains("frame 1 ", text);
        Assert.Contains("not at hand", text);
    }
}
