using System.Net;
using System.Net.Sockets;
using System.Text;
using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Live;
using XmppSniff.Core;
using XmppSniff.Tests.Shared;

namespace XmppSniff.Capture.Tests.Live;

/// <summary>
/// LiveCapture on the loopback interface, with datagrams the test sends itself to a port only it
/// uses (the BPF filter keeps everything else out): frames in order and whole, a quiet wire
/// reported idle, stop and packet limits, and the errors a user meets.
/// </summary>
public sealed class LiveCaptureTests : IDisposable
{
    /// <summary>A wait for a frame that never comes fails the test instead of hanging it.</summary>
    private const int MaxIdleReads = 100;

    private readonly UdpClient _receiver = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _sender = new(new IPEndPoint(IPAddress.Loopback, 0));

    public void Dispose()
    {
        _receiver.Dispose();
        _sender.Dispose();
    }

    private int Port => ((IPEndPoint)_receiver.Client.LocalEndPoint!).Port;

    private LiveCapture Open(long maxPackets = 0) =>
        LiveCapture.Open(new LiveOptions { Interface = "lo", Filter = $"udp dst port {Port}", MaxPackets = maxPackets });

    private void Send(string text) => _sender.Send(Encoding.ASCII.GetBytes(text), new IPEndPoint(IPAddress.Loopback, Port));

    /// <summary>Reads until a frame or the end; idle reads in between are allowed, but not forever.</summary>
    private static LiveRead NextFrame(LiveCapture live, out RawFrame frame)
    {
        for (int i = 0; i < MaxIdleReads; i++)
        {
            LiveRead read = live.Read(out frame);
            if (read != LiveRead.Idle) return read;
        }
        throw new TimeoutException("no frame after " + MaxIdleReads + " idle reads");
    }

    private static string Payload(in RawFrame frame, out Packet packet)
    {
        Assert.Equal(DecodeStatus.Transport, new FrameDecoder().Decode(frame, out packet));
        return Encoding.ASCII.GetString(packet.Payload);
    }

    [LiveFact]
    public void FramesArriveInOrderAndWholeThenTheQuietWireIsIdle()
    {
        using LiveCapture live = Open();
        Assert.Equal(LinkType.Ethernet, live.LinkType);
        long before = LiveCapture.Clock;
        for (int i = 1; i <= 3; i++) Send($"datagram {i}");

        long previous = 0;
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(LiveRead.Frame, NextFrame(live, out RawFrame frame));
            Assert.Equal(i, frame.Number);
            Assert.Equal($"datagram {i}", Payload(frame, out Packet packet));
            Assert.Equal(IpProtocol.Udp, packet.Protocol);
            Assert.Equal(Port, packet.Destination.Port);
            Assert.Equal(frame.Data.Length, frame.OriginalLength);
            Assert.InRange(frame.Time, Math.Max(previous, before - 1_000_000_000), LiveCapture.Clock + 1_000_000_000);
            previous = frame.Time;
        }
        Assert.Equal(LiveRead.Idle, live.Read(out _));
        Assert.Equal(3, live.Frames);
        LiveStatistics statistics = live.Statistics; // sampled at the idle read
        // At least our 3 (loopback: the kernel may count each twice). The kernel also counts what reached the socket
        // before the filter was set, which other tests' loopback traffic running at the same time can add to.
        Assert.True(statistics.Received >= 3, $"received {statistics.Received}");
        Assert.Equal(0, statistics.Dropped);
    }

    [LiveFact]
    public void StopStillReadsWhatTheKernelAlreadyHolds()
    {
        using LiveCapture live = Open();
        for (int i = 1; i <= 5; i++) Send($"before stop {i}");
        live.Stop();
        var seen = new List<string>();
        while (live.Read(out RawFrame frame) == LiveRead.Frame) seen.Add(Payload(frame, out _));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"before stop {i}"), seen);
        Assert.Equal(LiveRead.End, live.Read(out _));
    }

    [LiveFact]
    public void ThePacketLimitEndsTheCapture()
    {
        using LiveCapture live = Open(maxPackets: 2);
        for (int i = 1; i <= 3; i++) Send($"counted {i}");
        Assert.Equal(LiveRead.Frame, NextFrame(live, out _));
        Assert.Equal(LiveRead.Frame, NextFrame(live, out _));
        Assert.Equal(LiveRead.End, live.Read(out _));
        Assert.Equal(2, live.Frames);
    }

    [LiveFact]
    public void PacketsTheKernelHadNoRoomForAreCountedAsDropped()
    {
        // 1 MiB holds a handful of lo's 64 KiB immediate-mode slots; 300 datagrams sent unread overflow it.
        using LiveCapture live = LiveCapture.Open(new LiveOptions { Interface = "lo", Filter = $"udp dst port {Port}", BufferBytes = 1 << 20 });
        for (int i = 0; i < 300; i++) Send($"overflow {i}");
        while (live.Read(out _) == LiveRead.Frame)
        {
        }
        LiveStatistics statistics = live.Statistics;
        Assert.InRange(live.Frames, 1, 299);
        Assert.True(statistics.Dropped > 0, $"dropped {statistics.Dropped} with {live.Frames} of 300 read");
        Assert.True(statistics.Received >= 300, $"received {statistics.Received}");
    }

    [LiveFact]
    public void BufferedModeHandsOverTheSamePackets()
    {
        using LiveCapture live = LiveCapture.Open(new LiveOptions { Interface = "lo", Filter = $"udp dst port {Port}", Immediate = false });
        for (int i = 1; i <= 3; i++) Send($"buffered {i}");
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(LiveRead.Frame, NextFrame(live, out RawFrame frame));
            Assert.Equal($"buffered {i}", Payload(frame, out _));
        }
        Assert.Empty(live.Warnings);
    }

    [LiveFact]
    public void ImmediateModeOnLoopbackWarnsThatTheDefaultBufferHoldsFewPackets()
    {
        using LiveCapture live = Open();
        Assert.Contains(live.Warnings, w => w.Contains("--buffered") && w.Contains("lo's 65536-byte MTU"));
    }

    [LiveFact]
    public void TheSnapLengthCutsFramesButKeepsTheirLength()
    {
        using LiveCapture live = LiveCapture.Open(new LiveOptions { Interface = "lo", Filter = $"udp dst port {Port}", SnapLength = 60 });
        Send(new string('x', 500));
        Assert.Equal(LiveRead.Frame, NextFrame(live, out RawFrame frame));
        Assert.InRange(frame.Data.Length, 14 + 20 + 8, 60); // Linux may keep a little less than asked
        Assert.Equal(14 + 20 + 8 + 500, frame.OriginalLength);
    }

    [LiveFact]
    public void ABadFilterIsRefusedWithWhatLibpcapSaid()
    {
        var e = Assert.Throws<LiveCaptureException>(() => LiveCapture.Open(new LiveOptions { Interface = "lo", Filter = "port eighty" }));
        Assert.StartsWith("bad capture filter \"port eighty\": ", e.Message);
        Assert.Contains("eighty", e.Message["bad capture filter \"port eighty\": ".Length..]);
        Assert.DoesNotContain('\n', e.Message);
    }

    [LiveFact]
    public void AnUnknownInterfaceIsRefusedWithTheValidOnes()
    {
        var e = Assert.Throws<LiveCaptureException>(() => LiveCapture.Open(new LiveOptions { Interface = "nosuch0" }));
        Assert.StartsWith("no interface named nosuch0; choose one of: ", e.Message);
        Assert.Contains("lo", e.Message.Split(": ")[1].Split(" (")[0].Split(", "));
    }

    [LiveFact]
    public void InterfacesListLoopbackUpWithItsAddress()
    {
        InterfaceInfo lo = Assert.Single(NetworkInterfaces.List(), i => i.Name == "lo");
        Assert.True(lo.Up && lo.Loopback && !lo.Pseudo);
        Assert.Contains("127.0.0.1", lo.Addresses);
        Assert.Equal(1, NetworkInterfaces.DataLink("lo")); // DLT_EN10MB
        Assert.NotEqual("lo", NetworkInterfaces.Default(NetworkInterfaces.List())?.Name);
    }
}
