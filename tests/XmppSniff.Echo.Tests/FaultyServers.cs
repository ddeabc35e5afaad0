using System.Net;
using System.Net.Sockets;

namespace XmppSniff.Echo.Tests;

/// <summary>Servers that get echo wrong on purpose, to show the client notices.</summary>
internal static class FaultyServers
{
    /// <summary>A TCP port with nothing listening: bound and released, so connecting is refused.</summary>
    public static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Echoes TCP with one bit of every chunk's first byte flipped.</summary>
    public static (int Port, Task Serving) CorruptingTcp(CancellationToken stop)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        async Task ServeAsync()
        {
            using (listener)
            {
                while (!stop.IsCancellationRequested)
                {
                    Socket client;
                    try
                    {
                        client = await listener.AcceptAsync(stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            var buffer = new byte[4096];
                            int read;
                            while ((read = await client.ReceiveAsync(buffer)) > 0)
                            {
                                buffer[0] ^= 1;
                                await client.SendAsync(buffer.AsMemory(0, read));
                            }
                        }
                    });
                }
            }
        }
        return (((IPEndPoint)listener.LocalEndPoint!).Port, ServeAsync());
    }

    /// <summary>Echoes only every other UDP datagram.</summary>
    public static (int Port, Task Serving) DroppingUdp(CancellationToken stop)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        async Task ServeAsync()
        {
            using (socket)
            {
                var buffer = new byte[65536];
                for (long n = 0; ; n++)
                {
                    SocketReceiveFromResult got;
                    try
                    {
                        got = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    if (n % 2 == 0) await socket.SendToAsync(buffer.AsMemory(0, got.ReceivedBytes), got.RemoteEndPoint);
                }
            }
        }
        return (((IPEndPoint)socket.LocalEndPoint!).Port, ServeAsync());
    }
}
