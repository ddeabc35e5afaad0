using System.Net;
using System.Net.Sockets;

namespace XmppSniff.Echo.Client;

/// <summary>Makes client sockets, bound to the chosen source address if there is one.</summary>
internal static class Sockets
{
    // Linux IP_BIND_ADDRESS_NO_PORT: pick the source port at connect() time, by the whole 4-tuple,
    // so many connections from one bound address do not run out of ports.
    private const int SolIp = 0, IpBindAddressNoPort = 24;

    public static async Task<IPEndPoint> ResolveAsync(EchoClientOptions options)
    {
        if (IPAddress.TryParse(options.Host, out IPAddress? address)) return new IPEndPoint(address, options.Port);
        IPAddress[] addresses = await Dns.GetHostAddressesAsync(options.Host).ConfigureAwait(false);
        AddressFamily family = options.Bind?.AddressFamily ?? AddressFamily.InterNetwork;
        return new IPEndPoint(addresses.FirstOrDefault(a => a.AddressFamily == family) ?? addresses[0], options.Port);
    }

    public static async Task<Socket> ConnectTcpAsync(IPEndPoint server, IPAddress? bind, TimeSpan timeout, CancellationToken cancel)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (bind is not null)
            {
                if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(bind, 0));
            }
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(timeout);
            await socket.ConnectAsync(server, deadline.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static Socket ConnectUdp(IPEndPoint server, IPAddress? bind)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bind is not null) socket.Bind(new IPEndPoint(bind, 0));
        socket.Connect(server); // a connected UDP socket hears ICMP "port unreachable" as ConnectionRefused
        return socket;
    }
}
