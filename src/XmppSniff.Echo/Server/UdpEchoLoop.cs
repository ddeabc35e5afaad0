using System.Net;
using System.Net.Sockets;

namespace XmppSniff.Echo.Server;

/// <summary>Sends every datagram back to where it came from, until stopped.</summary>
internal static class UdpEchoLoop
{
    public static async Task RunAsync(Socket socket, ServerTotals totals, CancellationToken stop)
    {
        var buffer = new byte[65536];
        EndPoint anySender = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                SocketReceiveFromResult received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anySender, stop).ConfigureAwait(false);
                await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, received.RemoteEndPoint, stop).ConfigureAwait(false);
                totals.DatagramEchoed(received.ReceivedBytes);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                // e.g. an ICMP error for an earlier reply: one datagram's trouble, not the server's
            }
        }
    }
}
