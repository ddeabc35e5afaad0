using System.CommandLine;
using XmppSniff.Echo.Client;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff echo-client`: short, long or UDP echo traffic, every echo checked, with a latency summary.</summary>
internal static class EchoClientCommand
{
    private const int MaxUdpPayload = 65507;

    public static Command Create()
    {
        var mode = new Option<EchoMode>("--mode", "-m") { Description = "short: one connection per message; long: one connection per slot; udp: datagrams.", DefaultValueFactory = _ => EchoMode.Short };
        var host = new Option<string>("--host") { Description = "Server address or name.", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "Server port.", DefaultValueFactory = _ => EchoServerCommand.DefaultPort };
        var count = new Option<int>("--count", "-n") { Description = "Messages in all, spread over the slots.", DefaultValueFactory = _ => 1 };
        var size = new Option<int>("--size") { Description = "Bytes per message.", DefaultValueFactory = _ => 64 };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Slots running at once (long: connections; udp: sockets).", DefaultValueFactory = _ => 1 };
        var interval = new Option<int>("--interval") { Description = "Milliseconds between two messages of one slot." };
        var rate = new Option<double>("--rate") { Description = "Messages per second over all slots; 0: as fast as they go." };
        var bind = EchoOptions.Address("--bind", "Source address to send from, e.g. 127.0.3.4.", null);
        var timeout = new Option<int>("--timeout") { Description = "Milliseconds one message (udp: one datagram) may take before it fails (udp: is lost).", DefaultValueFactory = _ => 10_000 };
        var hold = new Option<int>("--hold") { Description = "Long mode: milliseconds to keep each connection open after its last message, unless the server closes it first." };
        var format = new Option<string>("--format", "-F") { Description = "text or json (one object).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        foreach (Option<int> positive in (Option<int>[])[count, size, concurrency, timeout]) EchoOptions.AtLeastOne(positive);
        foreach (Option<int> notNegative in (Option<int>[])[interval, hold]) EchoOptions.NotNegative(notNegative);
        EchoOptions.NotNegative(rate);

        var command = new Command("echo-client", "Send echo traffic to an echo server, check every byte, print latency and throughput; exit 1 if any message failed.")
        {
            mode, host, port, count, size, concurrency, interval, rate, bind, timeout, hold, format,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(mode) == EchoMode.Udp && result.GetValue(size) > MaxUdpPayload)
                result.AddError($"--size: a UDP datagram holds at most {MaxUdpPayload} bytes");
        });
        command.SetAction(result => CommandRunner.Run(() => Run(new EchoClientOptions
        {
            Mode = result.GetValue(mode),
            Host = result.GetValue(host)!,
            Port = result.GetValue(port),
            Count = result.GetValue(count),
            Size = result.GetValue(size),
            Concurrency = result.GetValue(concurrency),
            Interval = TimeSpan.FromMilliseconds(result.GetValue(interval)),
            Rate = result.GetValue(rate),
            Bind = result.GetValue(bind),
            Timeout = TimeSpan.FromMilliseconds(result.GetValue(timeout)),
            Hold = TimeSpan.FromMilliseconds(result.GetValue(hold)),
        }, json: result.GetValue(format) == "json")));
        return command;
    }

    private static int Run(EchoClientOptions options, bool json)
    {
        var client = new EchoClient(options);
        Task<EchoSummary> run = client.RunAsync();
        using (Progress? progress = Progress.OnTerminal())
        {
            while (!run.Wait(TimeSpan.FromMilliseconds(250)) && progress is not null)
            {
                var tally = client.Tally;
                long done = tally.Ok + tally.Failed;
                progress.Show($"{100.0 * done / options.Count,5:0.0}%  {tally.Ok:N0} ok  {tally.Failed:N0} failed  {progress.Elapsed.TotalSeconds:0} s");
            }
        }
        EchoSummary summary = run.Result;
        if (json)
        {
            using Stream stdout = Console.OpenStandardOutput();
            summary.WriteJson(stdout);
        }
        else
        {
            using StreamWriter stdout = StandardOutput.Open();
            summary.WriteText(stdout);
        }
        if (summary.Failed == 0) return CommandRunner.Ok;
        Console.Error.WriteLine($"xmppsniff: echo-client: {summary.Failed} of {options.Count} messages failed; first: {summary.FirstError}");
        return 1;
    }
}
