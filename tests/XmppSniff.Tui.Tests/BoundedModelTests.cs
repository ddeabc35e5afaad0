using Terminal.Gui.Input;
using XmppSniff.Core;
using XmppSniff.Explore;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Tests;

/// <summary>
/// A live model holds bounded memory: the oldest whole chunks of rows are dropped, indexes stay
/// absolute, and the UI shows what is held and says how much it let go.
/// </summary>
public class BoundedModelTests
{
    private sealed class FakeLive : ILiveSource
    {
        public long Now { get; set; }
        public bool Paused { get; set; }
        public string Status => Paused ? "PAUSED fake0" : "capturing fake0";
    }

    [Fact]
    public void Dropping_keeps_at_least_the_asked_number_and_frees_a_chunk_one_drop_later()
    {
        var list = new AppendList<int>(chunkBits: 12);
        for (int i = 0; i < 3 * 4096 + 10; i++) list.Add(i);

        Assert.Equal(4096, list.DropOldest(keep: 5000));
        Assert.Equal(4096, list.First);
        Assert.Equal(3 * 4096 + 10 - 4096, list.Held);
        Assert.Equal(4096, list[4096]);
        Assert.Equal(3 * 4096 + 9, list[list.Count - 1]);
        Assert.Equal(17, list[17]); // dropped but not yet freed: a reader that just read First still finds it

        Assert.Equal(0, list.DropOldest(keep: 5000));
        Assert.Throws<ArgumentOutOfRangeException>(() => list[17]);
        list.Add(-1);
        Assert.Equal(-1, list[list.Count - 1]);
    }

    [Fact]
    public void Dropped_flows_are_forgotten_and_their_late_packets_ignored()
    {
        var model = new CaptureModel("bounded");
        var client = new Endpoint(Address.Parse("10.0.0.1"), 40000);
        var server = new Endpoint(Address.Parse("10.0.0.2"), 5222);
        for (int id = 1; id <= 10_000; id++) model.FlowStarted(id, IpProtocol.Tcp, client, server, id);

        model.BoundRows(new ModelBounds(Flows: 3000));

        Assert.Equal(4096, model.Flows.First);
        Assert.Null(model.FindFlow(1));
        Assert.Null(model.FindFlow(4096));
        Assert.Equal(4097, model.FindFlow(4097)!.Id);
        Assert.Equal(10_000, model.FindFlow(10_000)!.Id);
        model.AddPacket(1, 1, 1, true, false, TcpFlags.Syn, 0, 0, 60); // a packet of a dropped flow: no row counts it
        Assert.Equal(1, model.Frames.Count);
    }

    [Fact]
    public void The_screen_shows_held_rows_running_durations_and_what_was_let_go()
    {
        var live = new FakeLive { Now = HandFilledModel.T0 + 12_500_000_000 };
        var model = new CaptureModel("fake0", new RecentFrames()) { Live = live };
        var feed = new HandFilledModelOver(model);
        feed.Model.FlowStarted(1, IpProtocol.Tcp, HandFilledModel.Client, HandFilledModel.Server, HandFilledModel.T0);
        for (int i = 0; i < 80_000; i++) feed.Packet(i * 2e-6, i % 2 == 0);
        model.BoundFrames(new ModelBounds(Frames: 10_000));
        Assert.Equal(65_536, model.Frames.First);

        using var screen = new Screen(model);
        string row = screen.Lines.Single(l => l.Contains("10.0.0.1:40000"));
        Assert.Contains("live", row);
        Assert.Contains("12.50s", row); // running duration: now - start
        Assert.Contains("12.34s", row); // idle: now - last packet (0.16 s in)
        Assert.Contains("capturing fake0", screen.Text);
        Assert.Contains("let go: 65,536 pkts", screen.Text);

        string packets = screen.Press(Key.D3).Text;
        Assert.Contains("1/14,464", packets);
        Assert.StartsWith("65537 ", screen.Lines[3]); // the first row held is frame 65,537, numbered as captured

        screen.Press(Key.D1, Key.Space);
        Assert.True(live.Paused);
        Assert.Contains("PAUSED fake0", screen.Text);
        screen.Press(Key.Space);
        Assert.False(live.Paused);
        Assert.Contains("space", screen.Press(new Key('?')).Text);
        Assert.Contains("pause", screen.Text);
    }

    [Fact]
    public void Recent_frames_keep_a_count_and_a_byte_budget_and_find_frames_across_gaps()
    {
        var recent = new RecentFrames(maxFrames: 4, maxBytes: 250);
        FrameEntry none = default;
        recent.Add(1, new byte[100]);
        recent.Add(2, new byte[100]);
        recent.Add(5, new byte[10]); // 3 and 4 discarded while paused
        Assert.Equal(10, recent.ReadFrame(5, in none)!.Length);
        Assert.Null(recent.ReadFrame(3, in none));

        recent.Add(6, new byte[100]); // 310 bytes: frame 1 goes
        Assert.Null(recent.ReadFrame(1, in none));
        Assert.Equal(100, recent.ReadFrame(2, in none)!.Length);
        recent.Add(7, new byte[1]);
        recent.Add(8, new byte[1]); // five frames: the oldest goes
        Assert.Equal(4, recent.Count);
        Assert.Null(recent.ReadFrame(2, in none));
        Assert.NotNull(recent.ReadFrame(8, in none));
        Assert.Throws<InvalidOperationException>(() => recent.Follow(1, CancellationToken.None));
    }

    /// <summary>Packets of flow 1 into a given model, numbered from 1.</summary>
    private sealed class HandFilledModelOver(CaptureModel model)
    {
        private long _number;

        public CaptureModel Model => model;

        public void Packet(double seconds, bool fromClient)
        {
            long time = HandFilledModel.T0 + (long)(seconds * 1e9);
            long number = ++_number;
            model.AddFrame(time, -1, 60, 60, 1);
            bool clientIsLow = HandFilledModel.Client.CompareTo(HandFilledModel.Server) <= 0;
            model.AddPacket(number, time, 1, fromClient == clientIsLow, udp: false, TcpFlags.Ack, (uint)number, 0, 60);
        }
    }
}
