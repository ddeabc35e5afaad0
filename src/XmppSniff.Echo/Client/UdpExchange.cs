using System.Buffers.Binary;
using System.Net.Sockets;

namespace XmppSniff.Echo.Client;

/// <summary>
/// One datagram out, its echo back within the timeout. Datagrams of 8 bytes or more start with the message
/// number, so a late echo of an earlier (already lost) datagram is told apart from a wrong one and skipped.
/// </summary>
internal sealed class UdpExchange(Socket socket, int size, TimeSpan timeout)
{
    private const int HeaderSize = sizeof(long);
    private readonly byte[] _sent = new byte[size];
    private readonly byte[] _received = new byte[Math.Max(size, 1) + 1]; // one spare byte shows a longer datagram

    public async Task<(string? Error, bool Lost)> RunAsync(long message, CancellationToken cancel)
    {
        EchoPattern.Fill(_sent, message, 0);
        bool numbered = size >= HeaderSize;
        if (numbered) BinaryPrimitives.WriteInt64LittleEndian(_sent, message);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.SendAsync(_sent, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            while (true)
            {
                int read = await socket.ReceiveAsync(_received, SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (numbered && read >= HeaderSize && BinaryPrimitives.ReadInt64LittleEndian(_received) < message)
                    continue; // a straggler from a datagram we already counted as lost
                if (read != size) return ($"echo of datagram {message} is {read} bytes, sent {size}", false);
                if (!_received.AsSpan(0, read).SequenceEqual(_sent)) return ($"echo of datagram {message} differs", false);
                return (null, false);
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return ($"no echo of datagram {message} within {timeout.TotalMilliseconds:0} ms", true);
        }
        catch (SocketException e)
        {
            return (TcpExchange.Describe(e, "on udp"), false);
        }
    }
}
