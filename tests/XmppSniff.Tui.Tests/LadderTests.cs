using XmppSniff.Core;
using XmppSniff.Tui.Text;

namespace XmppSniff.Tui.Tests;

/// <summary>The ladder from a model filled packet by packet: what each arrow says and where the gaps go.</summary>
public class LadderTests
{
    private static (HandFilledModel Feed, string[] Lines) Build(Action<HandFilledModel> packets)
    {
        var feed = new HandFilledModel().StartFlow();
        packets(feed);
        string[] lines = Ladder.Build(feed.Model, feed.Model.FindFlow(1)!, 60).Select(l => l.Text).ToArray();
        return (feed, lines);
    }

    private static string Line(string[] lines, long frame) => lines.Single(l => l.EndsWith($"#{frame}", StringComparison.Ordinal));

    [Fact]
    public void Handshake_data_keepalive_retransmission_and_close_are_each_named_and_pointed_the_right_way()
    {
        long data = 0, keepAlive = 0, retransmit = 0;
        var (_, lines) = Build(f =>
        {
            f.Packet(0.000, true, TcpFlags.Syn, 100, 0);
            f.Packet(0.001, false, TcpFlags.Syn | TcpFlags.Ack, 500, 0);
            f.Packet(0.002, true, TcpFlags.Ack, 101, 0);
            data = f.Packet(0.003, true, TcpFlags.Psh | TcpFlags.Ack, 101, 10);
            keepAlive = f.Packet(3.003, true, TcpFlags.Ack, 110, 0);
            retransmit = f.Packet(3.004, true, TcpFlags.Psh | TcpFlags.Ack, 101, 10);
            f.Packet(3.005, false, TcpFlags.Fin | TcpFlags.Ack, 501, 0);
            f.Packet(3.006, true, TcpFlags.Rst, 111, 0);
        });
        Assert.Contains("──SYN ─", Line(lines, 1));
        Assert.Contains("▶", Line(lines, 1));
        Assert.Contains("◀", Line(lines, 2));
        Assert.Contains("SYN/ACK──", Line(lines, 2));
        Assert.Contains("──ACK ─", Line(lines, 3));
        Assert.Contains("──10 B ─", Line(lines, data));
        Assert.Contains("keep-alive", Line(lines, keepAlive));
        Assert.Contains("retransmission 10 B", Line(lines, retransmit));
        Assert.Contains(" FIN──", Line(lines, 7));
        Assert.Contains("──RST ─", Line(lines, 8));
        Assert.Contains("+3.006000", Line(lines, 8));

        // The three seconds of silence are drawn once, between the data and the keep-alive.
        int gap = Array.FindIndex(lines, l => l.Contains("┊ idle 3.00s ┊"));
        Assert.Equal(Array.IndexOf(lines, Line(lines, data)) + 1, gap);
        Assert.Single(lines, l => l.Contains("idle"));
    }

    [Fact]
    public void Data_is_labelled_with_the_stanzas_it_completed()
    {
        var (feed, _) = Build(f => f.Packet(0, true, TcpFlags.Psh | TcpFlags.Ack, 1, 120));
        feed.Model.Add(new XmppElement
        {
            Ends = new FlowEnds(1, HandFilledModel.Client, HandFilledModel.Server), Direction = FlowSide.Client,
            Time = HandFilledModel.T0, FirstFrame = 1, LastFrame = 1, Kind = "stanza", Name = "message", Type = "chat", Summary = "message chat",
        });
        string[] lines = Ladder.Build(feed.Model, feed.Model.FindFlow(1)!, 60).Select(l => l.Text).ToArray();
        Assert.Contains("──<message chat> 120 B ─", Line(lines, 1));
    }

    [Fact]
    public void Arrows_keep_their_width_whatever_the_label()
    {
        Assert.Equal(39, Ladder.Arrow("SYN", true, 40).Length);
        Assert.Equal(39, Ladder.Arrow("SYN/ACK", false, 40).Length);
        string cut = Ladder.Arrow(new string('x', 100), true, 40);
        Assert.Equal(39, cut.Length);
        Assert.Contains("…", cut);
    }
}
