using XmppSniff.Analysis.Flows;
using XmppSniff.Core;
using static XmppSniff.Core.TcpFlags;

namespace XmppSniff.Analysis.Tests.Flows;

public class FlowTableTests
{
    [Fact]
    public void NormalConnectionIsSFClosedByClientWithItsExchanges()
    {
        var h = new FlowHarness();
        h.Handshake();
        h.Ms += 5; h.C(Ack | Psh, 101, 501, "ping1");
        h.Ms += 5; h.S(Ack | Psh, 501, 106, "pong1");
        h.Ms += 1000; h.C(Ack | Psh, 106, 506, "ping2");
        h.Ms += 5; h.S(Ack | Psh, 506, 111, "pong2");
        h.Ms += 5; h.C(Fin | Ack, 111, 511);
        h.Ms += 5; h.S(Fin | Ack, 511, 112);
        h.Ms += 5; h.C(Ack, 112, 512);

        FlowRecord r = h.Single();
        Assert.Equal("SF", r.State);
        Assert.Equal("ShADdFf", r.History); // the server never sent a pure ACK here
        Assert.Equal(FlowHarness.Client, r.Client);
        Assert.Equal(FlowKind.Long, r.Kind);
        Assert.Equal(2, r.Exchanges);
        Assert.Equal(FlowSide.Client, r.ClosedBy);
        Assert.Equal(CloseKind.Fin, r.Close);
        Assert.Equal(20.0, r.HandshakeRttMs);
        Assert.Equal(1.0, r.MaxIdleSeconds);
        Assert.Equal((10, 10), (r.BytesClientToServer, r.BytesServerToClient));
        Assert.Equal((6, 4), (r.PacketsClientToServer, r.PacketsServerToClient));
        Assert.Equal(">ping1<pong1>ping2<pong2", h.Stream.ToString());
    }

    [Fact]
    public void OneExchangeIsShortAndNoDataIsNone()
    {
        var h = new FlowHarness();
        h.Handshake();
        h.C(Ack | Psh, 101, 501, "GET /");
        h.S(Ack | Psh | Fin, 501, 106, "200 OK");
        h.C(Fin | Ack, 106, 508);
        FlowRecord r = h.Single();
        Assert.Equal(FlowKind.Short, r.Kind);
        Assert.Equal(FlowSide.Server, r.ClosedBy);

        var empty = new FlowHarness();
        empty.Handshake();
        empty.C(Fin | Ack, 101, 501);
        empty.S(Fin | Ack, 501, 102);
        Assert.Equal(FlowKind.None, empty.Single().Kind);
    }

    [Theory]
    [InlineData("refused", "REJ", "Sr")]
    [InlineData("no-answer", "S0", "S")]
    [InlineData("client-abort", "RSTO", "ShADR")]
    [InlineData("server-abort", "RSTR", "ShADr")]
    [InlineData("syn-fin", "SH", "SF")]
    [InlineData("syn-rst", "RSTOS0", "SR")]
    [InlineData("open", "S1", "ShAD")]
    [InlineData("client-fin-only", "S2", "ShADF")]
    [InlineData("server-fin-only", "S3", "ShADf")]
    public void ConnStateFollowsZeek(string scenario, string state, string history)
    {
        var h = new FlowHarness();
        switch (scenario)
        {
            case "refused":
                h.C(Syn, 100, 0);
                h.S(Rst | Ack, 0, 101);
                break;
            case "no-answer":
                h.C(Syn, 100, 0);
                break;
            case "syn-fin":
                h.C(Syn, 100, 0);
                h.C(Fin, 101, 0);
                break;
            case "syn-rst":
                h.C(Syn, 100, 0);
                h.C(Rst, 101, 0);
                break;
            default:
                h.Handshake();
                h.C(Ack | Psh, 101, 501, "data");
                if (scenario == "client-abort") h.C(Rst | Ack, 105, 501);
                if (scenario == "server-abort") h.S(Rst | Ack, 501, 105);
                if (scenario == "client-fin-only") h.C(Fin | Ack, 105, 501);
                if (scenario == "server-fin-only") h.S(Fin | Ack, 501, 105);
                break;
        }
        FlowRecord r = h.Single();
        Assert.Equal(state, r.State);
        Assert.Equal(history, r.History);
    }

    [Fact]
    public void MidStreamConnectionIsFoundWithClientOnTheEphemeralPort()
    {
        var h = new FlowHarness();
        h.S(Ack | Psh, 9000, 7000, "<presence/>");
        h.C(Ack | Psh, 7000, 9011, "<iq/>");
        h.S(Ack, 9011, 7005);
        FlowRecord r = h.Single();
        Assert.Equal(FlowHarness.Client, r.Client);
        Assert.Equal("OTH", r.State);
        Assert.Equal("dDa", r.History);
        Assert.Equal("<<presence/>><iq/>", h.Stream.ToString());
        Assert.Null(r.HandshakeRttMs);
    }

    [Fact]
    public void SynFromTheGuessedServerFlipsTheRoles()
    {
        // Both on ephemeral ports: the higher one is guessed client, until the other sends a SYN.
        var a = new Endpoint(Address.Parse("10.0.0.1"), 60000);
        var b = new Endpoint(Address.Parse("10.0.0.2"), 50000);
        var h = new FlowHarness();
        h.Send(a, b, Ack, 500, 101, "");
        h.Send(b, a, Syn, 100, 0, "");
        FlowRecord r = h.Single();
        Assert.Equal(b, r.Client);
        Assert.StartsWith("^", r.History);
    }

    [Fact]
    public void RetransmissionsReorderingKeepAlivesDupAcksAndZeroWindowsAreCounted()
    {
        var h = new FlowHarness();
        h.Handshake();
        h.C(Ack | Psh, 101, 501, "aaaa");
        h.C(Ack | Psh, 101, 501, "aaaa");          // retransmission
        h.C(Ack | Psh, 109, 501, "cccc");          // ahead of a hole
        h.C(Ack | Psh, 105, 501, "bbbb");          // fills it at once: out of order
        h.S(Ack, 501, 113);
        h.S(Ack, 501, 113);                        // nothing outstanding: not a dup ack
        h.C(Ack | Psh, 113, 501, "dddd");
        h.S(Ack, 501, 113);                        // same ack while data outstanding: dup ack
        h.S(Ack, 501, 117, window: 0);             // zero window
        h.Ms += 60_000;
        h.C(Ack, 116, 501, "d");                   // keep-alive: last byte again
        FlowRecord r = h.Single();
        Assert.Equal(1, r.Retransmissions);
        Assert.Equal(1, r.OutOfOrder);
        Assert.Equal(1, r.DuplicateAcks);
        Assert.Equal(1, r.ZeroWindows);
        Assert.Equal(1, r.KeepAlives);
        Assert.Equal(">aaaa>bbbb>cccc>dddd", h.Stream.ToString());
        Assert.Contains('T', r.History);
        Assert.Contains('w', r.History);
    }

    [Fact]
    public void PortReuseAfterCloseStartsANewConnection()
    {
        var h = new FlowHarness();
        h.Handshake();
        h.C(Fin | Ack, 101, 501);
        h.S(Fin | Ack, 501, 102);
        h.C(Ack, 102, 502);
        h.Ms += 100;
        h.C(Syn, 90_000, 0);
        h.Table.Flush();
        Assert.Equal(2, h.Records.Count);
        Assert.Equal(("SF", "S0"), (h.Records[0].State, h.Records[1].State));
        Assert.Equal((1, 2), (h.Records[0].Id, h.Records[1].Id));
    }

    [Fact]
    public void IdleFlowsEndByTimeoutInCaptureTime()
    {
        var h = new FlowHarness(new FlowLimits { TcpIdleTimeout = TimeSpan.FromSeconds(10), UdpIdleTimeout = TimeSpan.FromSeconds(2) });
        h.Handshake();
        h.Udp(FlowHarness.Client, new Endpoint(FlowHarness.Server.Address, 53), "q");
        h.Ms += 5_000;
        h.Udp(new Endpoint(FlowHarness.Server.Address, 53), FlowHarness.Client, "a"); // a new flow: the first timed out
        Assert.Single(h.Records);
        Assert.Equal(CloseKind.Timeout, h.Records[0].Close);
        h.Ms += 20_000;
        h.Udp(FlowHarness.Client, new Endpoint(FlowHarness.Server.Address, 53), "q");
        Assert.Equal(3, h.Records.Count);
        Assert.Equal([IpProtocol.Udp, IpProtocol.Tcp, IpProtocol.Udp], h.Records.Select(r => r.Protocol));
        Assert.All(h.Records, r => Assert.Equal(CloseKind.Timeout, r.Close));
        Assert.Equal(3, h.Table.Counters.FlowsEndedByTimeout);
    }

    [Fact]
    public void IdleTimeoutIsExactEvenWhenTheExpiryScanHasNotComeBy()
    {
        var h = new FlowHarness(new FlowLimits { TcpIdleTimeout = TimeSpan.FromSeconds(10) });
        h.Handshake();
        h.Ms = 9_000;
        h.C(Ack | Psh, 101, 501, "a");        // active at 9 s: the scan at 10.5 s keeps it
        h.Ms = 10_500;
        h.S(Ack, 501, 102);
        h.Ms = 20_600;                        // 10.1 s after the last packet, before the next scan
        h.C(Ack | Psh, 102, 501, "b");
        h.Table.Flush();
        Assert.Equal(2, h.Records.Count);
        Assert.Equal(CloseKind.Timeout, h.Records[0].Close);
        Assert.Equal("OTH", h.Records[1].State); // the rest is a mid-stream flow of its own, as Zeek splits it
    }

    [Fact]
    public void UdpFlowIsKeyedBothWaysAndTheReplyFirstCaseFindsTheClient()
    {
        var dns = new Endpoint(Address.Parse("10.0.0.53"), 53);
        var h = new FlowHarness();
        h.Udp(dns, FlowHarness.Client, "answer");
        h.Udp(FlowHarness.Client, dns, "query");
        FlowRecord r = h.Single();
        Assert.Equal(FlowHarness.Client, r.Client);
        Assert.Equal("SF", r.State);
        Assert.Equal((1, 1), (r.PacketsClientToServer, r.PacketsServerToClient));
        Assert.Equal((5, 6), (r.BytesClientToServer, r.BytesServerToClient));
    }

    [Fact]
    public void FlowLimitEvictsTheLeastRecentlyActiveAndCountsIt()
    {
        var h = new FlowHarness(new FlowLimits { MaxFlows = 100 });
        for (ushort port = 1; port <= 1000; port++)
        {
            h.Ms++;
            h.C(Syn, 1, 0, from: new Endpoint(FlowHarness.Client.Address, (ushort)(10000 + port)));
        }
        Assert.True(h.Table.LiveFlows <= 100);
        Assert.Equal(900, h.Table.Counters.FlowsEvicted);
        Assert.Equal(10001, h.Records[0].Client.Port);
    }

    [Fact]
    public void ABusyConnectionThatStartedFirstSurvivesAFloodOfNewOnes()
    {
        var h = new FlowHarness(new FlowLimits { MaxFlows = 100 });
        h.Handshake();
        uint seq = 101;
        for (ushort port = 1; port <= 1000; port++)
        {
            h.Ms++;
            h.C(Syn, 1, 0, from: new Endpoint(FlowHarness.Client.Address, (ushort)(10000 + port)));
            if (port % 50 == 0)
            {
                h.C(Ack | Psh, seq, 501, "ping ");
                seq += 5;
            }
        }
        Assert.True(h.Table.LiveFlows <= 100);
        Assert.Equal(1000 + 1 - 100, h.Table.Counters.FlowsEvicted);
        Assert.True(h.Table.Counters.PeakFlows <= 100);
        Assert.DoesNotContain(h.Records, r => r.Client == FlowHarness.Client);
        h.Table.Flush();
        FlowRecord busy = Assert.Single(h.Records, r => r.Client == FlowHarness.Client);
        Assert.Equal(20 * 5, busy.BytesClientToServer);
        Assert.Equal(string.Concat(Enumerable.Repeat(">ping ", 20)), h.Stream.ToString());
    }

    [Fact]
    public void LostSegmentAckedByThePeerIsAGapAndTheStreamGoesOn()
    {
        var h = new FlowHarness();
        h.Handshake();
        h.C(Ack | Psh, 101, 501, "one ");
        h.C(Ack | Psh, 109, 501, "three");           // "two " was lost by the capture
        h.S(Ack, 501, 114);
        h.S(Ack | Psh, 501, 114, "ok");
        FlowRecord r = h.Single();
        Assert.Equal(4, r.MissedBytes);
        Assert.Equal(">one [gap 4]>three<ok", h.Stream.ToString());
        Assert.Equal(13, r.BytesClientToServer);
    }
}
