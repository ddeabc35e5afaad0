using XmppSniff.Core;
using XmppSniff.Tui.Model;

namespace XmppSniff.Tui.Tests;

/// <summary>Builds a model packet by packet, the way any source (a live capture, a test) feeds it.</summary>
internal sealed class HandFilledModel
{
    public static readonly Endpoint Client = new(Address.Parse("10.0.0.1"), 40000);
    public static readonly Endpoint Server = new(Address.Parse("10.0.0.2"), 5222);
    public const long T0 = 1_700_000_000_000_000_000;

    public CaptureModel Model { get; } = new("hand-made");
    private long _number;

    public HandFilledModel StartFlow(long id = 1)
    {
        Model.FlowStarted(id, IpProtocol.Tcp, Client, Server, T0);
        return this;
    }

    /// <summary>One TCP packet of flow 1; returns its frame number.</summary>
    public long Packet(double seconds, bool fromClient, TcpFlags flags, uint seq, int length)
    {
        long time = T0 + (long)(seconds * 1e9);
        long number = ++_number;
        Model.AddFrame(time, -1, 54 + length, 54 + length, 1);
        bool clientIsLow = Client.CompareTo(Server) <= 0;
        Model.AddPacket(number, time, 1, fromClient == clientIsLow, udp: false, flags, seq, length, 54 + length);
        return number;
    }

    public FlowRecord End(string state, CloseKind close, FlowSide closedBy) => new()
    {
        Id = 1,
        Protocol = IpProtocol.Tcp,
        Client = Client,
        Server = Server,
        Start = T0,
        End = T0 + 5_000_000_000,
        State = state,
        History = "ShADadFf",
        Kind = FlowKind.Long,
        App = "xmpp",
        Close = close,
        ClosedBy = closedBy,
    };
}
