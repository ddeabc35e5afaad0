using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Flows;

/// <summary>
/// Live capture moves time on without packets (FlowTable.AdvanceTo): idle flows must end then,
/// exactly as they would if a later packet had brought the same time.
/// </summary>
public class FlowTableClockTests
{
    private const long Ms = 1_000_000;

    [Fact]
    public void AdvancingTimeEndsIdleFlowsWithoutAPacket()
    {
        var h = new FlowHarness(new FlowLimits { TcpIdleTimeout = TimeSpan.FromSeconds(10), UdpIdleTimeout = TimeSpan.FromSeconds(2) });
        h.Handshake();
        h.Ms = 1000;
        h.Udp(FlowHarness.Client, FlowHarness.Server, "ping");

        h.Table.AdvanceTo(2_500 * Ms); // UDP idle 1.5 s: not yet
        Assert.Empty(h.Records);
        h.Table.AdvanceTo(3_500 * Ms); // UDP idle 2.5 s > 2 s
        FlowRecord udp = Assert.Single(h.Records);
        Assert.Equal(IpProtocol.Udp, udp.Protocol);
        Assert.Equal(CloseKind.Timeout, udp.Close);

        h.Table.AdvanceTo(11_000 * Ms); // TCP idle 10.98 s > 10 s
        Assert.Equal(2, h.Records.Count);
        Assert.Equal(CloseKind.Timeout, h.Records[1].Close);
        Assert.Equal(0, h.Table.LiveFlows);
        Assert.Equal(2, h.Table.Counters.FlowsEndedByTimeout);
    }

    [Fact]
    public void AClosedConnectionIsReportedOnceItsLingerPassesWithoutAPacket()
    {
        var h = new FlowHarness();
        h.Handshake();
        h.Ms += 5;
        h.C(TcpFlags.Fin | TcpFlags.Ack, 101, 501);
        h.S(TcpFlags.Fin | TcpFlags.Ack, 501, 102);
        h.C(TcpFlags.Ack, 102, 502);
        h.Table.AdvanceTo((h.Ms + 1_000) * Ms);
        Assert.Empty(h.Records); // still collecting late ACKs and retransmitted FINs
        h.Table.AdvanceTo((h.Ms + 6_000) * Ms);
        FlowRecord record = Assert.Single(h.Records);
        Assert.Equal(CloseKind.Fin, record.Close);
        Assert.Equal("SF", record.State);
    }

    [Fact]
    public void AnEarlierTimeIsIgnoredAndNotCountedAsTimeGoingBackwards()
    {
        var h = new FlowHarness();
        h.Ms = 10_000;
        h.Handshake();
        h.Table.AdvanceTo(5_000 * Ms);
        Assert.Equal(10_020 * Ms, h.Table.Now);
        Assert.Equal(0, h.Table.Counters.TimeWentBackwards);
        h.Table.AdvanceTo(20_000 * Ms);
        Assert.Equal(20_000 * Ms, h.Table.Now);
    }
}
