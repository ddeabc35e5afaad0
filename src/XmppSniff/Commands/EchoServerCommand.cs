using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using XmppSniff.Echo.Server;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff echo-server`: TCP and UDP echo with idle timeout and connection limits, to make known traffic.</summary>
internal static class EchoServerCommand
{
    public const int DefaultPort = 7007;

    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port for TCP and UDP echo (0: any free port).", DefaultValueFactory = _ => DefaultPort };
        var tcpPort = new Option<int?>("--tcp-port") { Description = "TCP port, if it differs from --port." };
        var udpPort = new Option<int?>("--udp-port") { Description = "UDP port, if it differs from --port." };
        var bind = EchoOptions.Address("--bind", "Address to listen on.", IPAddress.Loopback);
        var idle = new Option<double>("--idle-timeout") { Description = "Seconds without data either way after which the server closes a TCP connection (FIN); 0: never." };
        var maxPerClient = new Option<int>("--max-per-client") { Description = "Concurrent TCP connections per client address; one more is accepted and reset at once. 0: no limit." };
        var maxConnections = new Option<int>("--max-connections") { Description = "Concurrent TCP connections in all; one more is accepted and reset at once. 0: no limit." };
        var grace = new Option<double>("--grace") { Description = "Seconds open connections may go on after Ctrl+C or SIGTERM before the server closes them.", DefaultValueFactory = _ => 5 };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No line per connection; only the listening line and the totals." };
        foreach (Option<double> seconds in (Option<double>[])[idle, grace]) EchoOptions.NotNegative(seconds);
        foreach (Option<int> count in (Option<int>[])[maxPerClient, maxConnections]) EchoOptions.NotNegative(count);

        var command = new Command("echo-server", "Echo TCP and UDP on loopback (by default), with idle timeout and per-client limits; logs to stderr.")
        {
            port, tcpPort, udpPort, bind, idle, maxPerClient, maxConnections, grace, quiet,
        };
        command.SetAction(result =>
        {
            var options = new EchoServerOptions
            {
                Bind = result.GetValue(bind)!,
                TcpPort = result.GetValue(tcpPort) ?? result.GetValue(port),
                UdpPort = result.GetValue(udpPort) ?? result.GetValue(port),
                IdleTimeout = result.GetValue(idle) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null,
                MaxPerClient = result.GetValue(maxPerClient),
                MaxConnections = result.GetValue(maxConnections),
                Grace = TimeSpan.FromSeconds(result.GetValue(grace)),
                LogConnections = !result.GetValue(quiet),
            };
            return Serve(options);
        });
        return command;
    }

    private static int Serve(EchoServerOptions options)
    {
        var server = new EchoServer(options, Console.Error);
        try
        {
            server.Start();
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"xmppsniff: echo-server: cannot listen on {options.Bind}: {e.Message}");
            server.StopAsync().GetAwaiter().GetResult();
            return 2;
        }
        WaitForStopSignal();
        server.StopAsync().GetAwaiter().GetResult();
        return CommandRunner.Ok;
    }

    /// <summary>The first Ctrl+C or SIGTERM starts a graceful stop; a second one ends the process at once.</summary>
    private static void WaitForStopSignal()
    {
        var stop = new ManualResetEventSlim();
        void OnSignal(PosixSignalContext context)
        {
            if (stop.IsSet) return; // second signal: let the default handler end the process
            context.Cancel = true;
            stop.Set();
        }
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        stop.Wait();
    }
}
