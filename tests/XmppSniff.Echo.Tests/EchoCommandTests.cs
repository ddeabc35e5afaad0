using System.Text.Json;

namespace XmppSniff.Echo.Tests;

public class EchoCommandTests
{
    private static readonly string[] SummaryFields = ["ok", "failed", "connections", "p50_ms", "p90_ms", "p99_ms", "max_ms", "bytes", "seconds"];

    [Fact]
    public async Task JsonSummaryHasEveryFieldAndExitCodeZero()
    {
        await using var server = new RunningServer();
        Cli.Result result = await Cli.RunAsync("echo-client", "--port", $"{server.Tcp.Port}", "--mode", "long",
            "--count", "10", "--size", "500", "--concurrency", "2", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        JsonElement root = json.RootElement;
        Assert.All(SummaryFields, field => Assert.True(root.TryGetProperty(field, out _), $"no {field} in {result.Stdout}"));
        Assert.Equal(10, root.GetProperty("ok").GetInt32());
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
        Assert.Equal(2, root.GetProperty("connections").GetInt32());
        Assert.Equal(5000, root.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task NoServerMeansExitCodeOne()
    {
        Cli.Result result = await Cli.RunAsync("echo-client", "--port", $"{FaultyServers.ClosedPort()}", "--count", "3", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("failed").GetInt32());
        Assert.Contains("ConnectionRefused", result.Stderr);
    }

    [Fact]
    public async Task WrongEchoMeansExitCodeOne()
    {
        using var stop = new CancellationTokenSource();
        (int port, Task serving) = FaultyServers.CorruptingTcp(stop.Token);
        Cli.Result result = await Cli.RunAsync("echo-client", "--port", $"{port}", "--mode", "short", "--count", "2");
        await stop.CancelAsync();
        await serving;
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("2 failed", result.Stdout);
        Assert.Contains("echo differs at byte 0", result.Stderr);
    }

    [Fact]
    public async Task ServerCommandEchoesAndStopsOnSigterm()
    {
        // Port 0: any free port; the listening line says which (TCP and UDP share the number when they can).
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true };
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "xmppsniff.dll"), "echo-server", "--port", "0", "--grace", "1"])
            start.ArgumentList.Add(arg);
        using var server = System.Diagnostics.Process.Start(start)!;
        try
        {
            string listening = (await server.StandardError.ReadLineAsync())!;
            Assert.StartsWith("listening: tcp 127.0.0.1:", listening);
            string port = listening.Split(',')[0].Split(':')[^1];
            Cli.Result tcp = await Cli.RunAsync("echo-client", "--port", port, "--count", "3");
            Cli.Result udp = await Cli.RunAsync("echo-client", "--port", port, "--mode", "udp", "--count", "3");
            Assert.Equal((0, 0), (tcp.ExitCode, udp.ExitCode));
        }
        finally
        {
            System.Diagnostics.Process.Start("kill", ["-TERM", $"{server.Id}"]).WaitForExit();
        }
        string rest = await server.StandardError.ReadToEndAsync();
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, server.ExitCode);
        Assert.Contains("totals: tcp 3 connections", rest);
        Assert.Contains("udp 3 datagrams", rest);
    }
}
