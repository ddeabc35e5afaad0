using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace XmppSniff.Echo.Server;

/// <summary>
/// TCP and UDP echo with an idle timeout, per-client and total connection limits and a graceful stop.
/// All I/O is async on the thread pool: no thread per connection.
/// </summary>
public sealed class EchoServer : IAsyncDisposable
{
    private const int ListenBacklog = 4096;
    private readonly EchoServerOptions _options;
    private readonly EchoLog _log;
    private readonly ClientAdmission _admission;
    private readonly ConcurrentDictionary<long, TcpEchoConnection> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private Socket? _listener, _udp;
    private long _lastId;
    private int _stopped;

    public EchoServer(EchoServerOptions options, TextWriter log)
    {
        _options = options;
        _log = new EchoLog(log);
        _admission = new ClientAdmission(options.MaxPerClient, options.MaxConnections);
    }

    public IPEndPoint? TcpEndPoint { get; private set; }
    public IPEndPoint? UdpEndPoint { get; private set; }
    public ServerTotals Totals { get; } = new();
    public int OpenConnections => _admission.Open;

    /// <summary>Binds the sockets (so the ports are known when this returns) and starts serving.</summary>
    public void Start()
    {
        if (_options.TcpPort is { } tcpPort)
        {
            _listener = new Socket(_options.Bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(_options.Bind, tcpPort));
            _listener.Listen(ListenBacklog);
            TcpEndPoint = (IPEndPoint)_listener.LocalEndPoint!;
            _loops.Add(AcceptLoopAsync(_listener));
        }
        if (_options.UdpPort is { } udpPort)
        {
            _udp = BindUdp(udpPort == 0 && _options.TcpPort == 0 ? TcpEndPoint?.Port ?? 0 : udpPort);
            UdpEndPoint = (IPEndPoint)_udp.LocalEndPoint!;
            _loops.Add(UdpEchoLoop.RunAsync(_udp, Totals, _stopping.Token));
        }
        _log.Line($"listening: tcp {TcpEndPoint?.ToString() ?? "off"}, udp {UdpEndPoint?.ToString() ?? "off"}");
    }

    /// <summary>Stops accepting, lets open connections go on for the grace period, closes the rest, logs totals.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _stopping.Cancel();
        _listener?.Dispose();
        _udp?.Dispose();
        await Task.WhenAll(_loops).ConfigureAwait(false);

        if (!_open.IsEmpty)
            _log.Line($"stopping: {_open.Count} connections open, waiting up to {_options.Grace.TotalSeconds:0.###} s");
        var grace = Stopwatch.StartNew();
        while (!_open.IsEmpty && grace.Elapsed < _options.Grace)
            await Task.Delay(TimeSpan.FromMilliseconds(20)).ConfigureAwait(false);

        TcpEchoConnection[] remaining = [.. _open.Values];
        foreach (TcpEchoConnection connection in remaining) connection.Shutdown();
        await Task.WhenAll(remaining.Select(c => c.Finished)).ConfigureAwait(false);
        _log.Line(Totals.Describe());
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private Socket BindUdp(int port)
    {
        var udp = new Socket(_options.Bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            udp.Bind(new IPEndPoint(_options.Bind, port));
        }
        catch (SocketException) when (port != 0 && _options.UdpPort == 0)
        {
            udp.Bind(new IPEndPoint(_options.Bind, 0)); // the TCP port's number was only a wish
        }
        return udp;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException e)
            {
                // Out of file descriptors or the like: say so and give closing connections a moment.
                _log.Line($"accept failed: {e.SocketErrorCode}");
                await Task.Delay(100).ConfigureAwait(false);
                continue;
            }
            Admit(socket);
        }
    }

    private void Admit(Socket socket)
    {
        var connection = new TcpEchoConnection(Interlocked.Increment(ref _lastId), socket, _options.IdleTimeout);
        if (_options.LogConnections) _log.Line($"open  #{connection.Id} {connection.Client}");
        if (!_admission.TryAdmit(connection.Client.Address, out string refusal))
        {
            RefuseWithReset(socket);
            Totals.RefusedOne();
            LogClose(connection, CloseReason.Limit, $"{refusal}, reset");
            return;
        }
        Totals.Admitted(_admission.Open);
        socket.NoDelay = true; // echoes are small and latency is what the client measures
        _open[connection.Id] = connection;
        connection.Start(ClosedAsync);
    }

    private Task<string> ClosedAsync(TcpEchoConnection connection, CloseReason reason, string detail)
    {
        _admission.Release(connection.Client.Address);
        _open.TryRemove(connection.Id, out _);
        Totals.ConnectionClosed(reason, connection.BytesOut);
        LogClose(connection, reason, detail);
        return Task.FromResult(reason.LogName());
    }

    /// <summary>Linger on with a zero timeout makes close() send RST at once instead of FIN.</summary>
    private static void RefuseWithReset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // the client is already gone
        }
        socket.Dispose();
    }

    private void LogClose(TcpEchoConnection connection, CloseReason reason, string detail)
    {
        if (!_options.LogConnections) return;
        string why = detail.Length == 0 ? reason.LogName() : $"{reason.LogName()} ({detail})";
        _log.Line($"close #{connection.Id} {connection.Client} after {connection.Duration.TotalSeconds:0.000} s, " +
                  $"{connection.BytesIn} bytes in, {connection.BytesOut} bytes out: {why}");
    }
}
