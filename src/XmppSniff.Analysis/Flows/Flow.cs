using XmppSniff.Analysis.Lifecycle;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Flows;

/// <summary>One TCP connection or UDP flow while it is being tracked.</summary>
public sealed class Flow
{
    internal Flow(long id, FlowKey key, Endpoint client, Endpoint server, long time, BufferBudget budget)
    {
        Id = id;
        Key = key;
        Client = client;
        Server = server;
        Start = LastSeen = time;
        bool tcp = key.Protocol == IpProtocol.Tcp;
        var hold = new FlowHold();
        ClientSide = new FlowSideState(tcp ? new StreamReassembler(FlowSide.Client, budget, hold) : null);
        ServerSide = new FlowSideState(tcp ? new StreamReassembler(FlowSide.Server, budget, hold) : null);
    }

    /// <summary>1-based, in order of the flow's first packet.</summary>
    public long Id { get; }

    public FlowKey Key { get; }

    public IpProtocol Protocol => Key.Protocol;

    public Endpoint Client { get; private set; }

    public Endpoint Server { get; private set; }

    public long Start { get; }

    public long LastSeen { get; internal set; }

    /// <summary>Where the reassembled bytes (and UDP payloads) go; set by a listener when the flow starts.</summary>
    public IStreamSink? Sink { get; set; }

    /// <summary>Where this flow's analyzer sends its records (transactions, stanzas); set by a listener when the flow starts.</summary>
    public AnalyzerOutput Output { get; set; } = AnalyzerOutput.None;

    /// <summary>The application protocol, once something recognised it.</summary>
    public string App { get; set; } = "unknown";

    internal FlowSideState ClientSide { get; private set; }

    internal FlowSideState ServerSide { get; private set; }

    internal History History;
    internal FlowSide? LastDataSide;
    internal long MaxIdleNs;
    internal long SynTime = -1;
    internal long HandshakeRttNs = -1;
    internal FlowSide? ClosedBy;
    internal CloseKind? CloseKind;

    // Links in the table's activity lists.
    internal Flow? Prev;
    internal Flow? Next;
    internal FlowList? List;
    internal long ListTime;
    internal long ListTimeoutNs = long.MaxValue; // the list's, kept here: read for every packet

    internal FlowSideState SideOf(FlowSide side) => side == FlowSide.Client ? ClientSide : ServerSide;

    /// <summary>A FIN from both sides, or a RST from either: nothing more belongs to this connection.</summary>
    internal bool IsClosed =>
        ClientSide.State == EndpointState.Reset || ServerSide.State == EndpointState.Reset
        || (ClientSide.State == EndpointState.Closed && ServerSide.State == EndpointState.Closed);

    /// <summary>Records that <paramref name="side"/> sent new data: a change of speaker starts a burst.</summary>
    internal void CountData(FlowSide side)
    {
        if (LastDataSide == side) return;
        LastDataSide = side;
        SideOf(side).DataBursts++;
    }

    /// <summary>Swaps client and server: the side we took for the server turned out to have sent the SYN.</summary>
    internal void FlipRoles()
    {
        (Client, Server) = (Server, Client);
        (ClientSide, ServerSide) = (ServerSide, ClientSide);
        ClientSide.Stream!.Side = FlowSide.Client;
        ServerSide.Stream!.Side = FlowSide.Server;
        LastDataSide = LastDataSide is null ? null : Other(LastDataSide.Value);
        ClosedBy = ClosedBy is null ? null : Other(ClosedBy.Value);
        History.Flip();
    }

    internal static FlowSide Other(FlowSide side) => side == FlowSide.Client ? FlowSide.Server : FlowSide.Client;

    internal FlowRecord ToRecord(bool timedOut)
    {
        string history = History.ToString();
        long clientBytes = ClientSide.Bytes, serverBytes = ServerSide.Bytes;
        int exchanges = Math.Max(ClientSide.DataBursts, ServerSide.DataBursts);
        return new FlowRecord
        {
            Id = Id,
            Protocol = Protocol,
            Client = Client,
            Server = Server,
            Start = Start,
            End = LastSeen,
            State = Protocol == IpProtocol.Tcp
                ? ConnState.ForTcp(ClientSide.State, ServerSide.State, clientBytes, serverBytes, history)
                : ConnState.ForUdp(ClientSide.Packets > 0, ServerSide.Packets > 0),
            History = history,
            Kind = exchanges == 0 ? FlowKind.None : exchanges == 1 ? FlowKind.Short : FlowKind.Long,
            App = App,
            PacketsClientToServer = ClientSide.Packets,
            PacketsServerToClient = ServerSide.Packets,
            BytesClientToServer = clientBytes,
            BytesServerToClient = serverBytes,
            MissedBytes = (ClientSide.Stream?.MissedBytes ?? 0) + (ServerSide.Stream?.MissedBytes ?? 0),
            Retransmissions = ClientSide.Retransmissions + ServerSide.Retransmissions,
            OutOfOrder = ClientSide.OutOfOrder + ServerSide.OutOfOrder,
            DuplicateAcks = ClientSide.DuplicateAcks + ServerSide.DuplicateAcks,
            ZeroWindows = ClientSide.ZeroWindows + ServerSide.ZeroWindows,
            KeepAlives = ClientSide.KeepAlives + ServerSide.KeepAlives,
            HandshakeRttMs = HandshakeRttNs >= 0 ? HandshakeRttNs / 1e6 : null,
            ClosedBy = ClosedBy,
            Close = CloseKind ?? (timedOut ? Core.CloseKind.Timeout : Core.CloseKind.Open),
            Exchanges = exchanges,
            MaxIdleSeconds = MaxIdleNs / 1e9,
        };
    }
}
