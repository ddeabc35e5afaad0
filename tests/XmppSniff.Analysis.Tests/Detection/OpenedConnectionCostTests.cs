using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Detection;

/// <summary>
/// A scan or a SYN flood opens hundreds of thousands of connections that never carry a byte: each must cost
/// little, or their memory and the collector's work over them swamp the run (1M SYNs: 2.1 GB allocated, 1.35 GB
/// peak before held bytes, arrival and pending lists were made lazily and protocol lookups stopped allocating).
/// </summary>
public class OpenedConnectionCostTests
{
    /// <summary>Attaches a host to every flow and ends it, as `flows` does on one thread.</summary>
    private sealed class Hosts : IFlowListener
    {
        public int Ended;

        public void FlowStarted(Flow flow) => flow.Sink = new AnalyzerHost(flow, ProtocolRegistry.Default);

        public void FlowEnded(Flow flow, FlowRecord record)
        {
            ((AnalyzerHost)flow.Sink!).End(record);
            Ended++;
        }
    }

    [Fact]
    public void A_connection_that_carries_no_byte_allocates_no_more_than_its_state_and_record()
    {
        var hosts = new Hosts();
        var table = new FlowTable(hosts);
        var server = new Endpoint(Address.Parse("10.0.0.2"), 5222);
        long frame = 0;
        // Clients made beforehand: their addresses' parsing is not the flows' cost.
        Endpoint[] Clients(int net, int count) =>
            [.. Enumerable.Range(0, count).Select(i => new Endpoint(Address.Parse($"10.{net}.{i >> 8 & 255}.{i & 255}"), (ushort)(1024 + (i >> 16))))];
        void Syns(Endpoint[] clients)
        {
            foreach (Endpoint client in clients) TestPackets.Send(table, ++frame, frame, client, server, IpProtocol.Tcp, 7, 0, TcpFlags.Syn, []);
        }

        Syns(Clients(1, 2_000)); // warm up: code paths and the flow map's first growth
        const int Flows = 40_000;
        Endpoint[] measured = Clients(2, Flows);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Syns(measured);
        table.Flush();
        long perFlow = (GC.GetAllocatedBytesForCurrentThread() - before) / Flows;

        Assert.Equal(2_000 + Flows, hosts.Ended);
        // The flow (~290 bytes), its two directions' state and reassemblers (~540), its host, its record and the
        // record naming XMPP by port (~600), the flow map's share, the history: 2,103 bytes; 2,552 before.
        Assert.InRange(perFlow, 1_000, 2_300);
    }
}
