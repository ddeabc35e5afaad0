using System.Net;
using System.Net.Sockets;
using Terminal.Gui.Input;
using XmppSniff.Analysis.Flows;
using XmppSniff.Capture.Live;
using XmppSniff.Explore;
using XmppSniff.Tests.Shared;

namespace XmppSniff.Tui.Tests;

/// <summary>
/// The terminal UI in live mode on `lo`, headless: a capture filtered to the test's own port while
/// the test makes TCP connections, and the connections on screen as they open and after they end.
/// </summary>
public class LiveCaptureScreenTests
{
    [LiveFact]
    public void Connections_the_test_makes_appear_on_screen_while_capturing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        LiveCapture live = LiveCapture.Open(new LiveOptions { Interface = "lo", Filter = $"tcp port {port}" });
        using LiveSession session = LiveSession.Start(live, $"lo tcp port {port}", copy: null, new FlowLimits());
        using var screen = new Screen(session.Model);

        // Three connections that exchange a few bytes and close, and one left open.
        var clientPorts = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            using TcpClient accepted = listener.AcceptTcpClient();
            clientPorts.Add(((IPEndPoint)client.Client.LocalEndPoint!).Port);
            client.GetStream().Write("hello"u8);
            accepted.GetStream().ReadExactly(new byte[5]);
            accepted.GetStream().Write("world"u8);
            client.GetStream().ReadExactly(new byte[5]);
        }
        using var open = new TcpClient();
        open.Connect(IPAddress.Loopback, port);
        using TcpClient openAccepted = listener.AcceptTcpClient();
        int openPort = ((IPEndPoint)open.Client.LocalEndPoint!).Port;
        open.GetStream().Write("still here"u8);

        // Wait (not a timing assertion: a deadline) until the closed ones ended and the open one counted its bytes.
        string[] lines = WaitFor(screen, l =>
            clientPorts.All(p => l.Any(r => r.Contains($"127.0.0.1:{p}") && r.Contains(" SF "))) &&
            l.Any(r => r.Contains($"127.0.0.1:{openPort}") && r.Contains(" 10 ")));

        foreach (int p in clientPorts)
            Assert.Contains(lines, r => r.Contains($"127.0.0.1:{p}") && r.Contains($"127.0.0.1:{port}") && r.Contains(" SF "));
        string openRow = Assert.Single(lines, r => r.Contains($"127.0.0.1:{openPort}"));
        Assert.Contains(" live ", openRow);
        Assert.Equal(4, lines.Count(r => r.Contains($"127.0.0.1:{port}")));
        Assert.Contains("capturing lo", lines[^1]);
        Assert.Contains(" 0 dropped of ", lines[^1]);

        screen.Press(Key.Space);
        Assert.True(session.Paused);
        Assert.Contains("PAUSED lo", screen.Lines[^1]);
        screen.Press(Key.Space);
        Assert.False(session.Paused);

        session.Stop(TimeSpan.FromSeconds(10));
        // Stopped: the flow still open is ended as open, and the status says so.
        lines = WaitFor(screen, l => l.Any(r => r.Contains($"127.0.0.1:{openPort}") && r.Contains("open")));
        Assert.Contains("stopped lo", lines[^1]);
    }

    private static string[] WaitFor(Screen screen, Func<string[], bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] lines = screen.Lines;
        while (!done(lines) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
            lines = screen.Lines;
        }
        return lines;
    }
}
