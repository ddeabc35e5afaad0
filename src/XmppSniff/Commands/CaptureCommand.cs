using XmppSniff.Analysis.Protocols.Tls.Decryption;
using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Capture.Live;
using XmppSniff.Core;
using XmppSniff.Explore;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>
/// `xmppsniff capture`: packets from a network interface through libpcap into the same engine as a
/// file; records as flows end, until Ctrl+C, `-c` or `--duration`, then the flows still open.
/// </summary>
internal static class CaptureCommand
{
    public static Command Create()
    {
        var device = new Option<string?>("--interface", "-i") { Description = "Interface to capture on (default: the first up, non-loopback one; `lo` works). See `xmppsniff interfaces`." };
        var filter = new Option<string?>("--filter", "-f") { Description = "BPF capture filter, as tcpdump takes it (e.g. \"tcp port 5222\"); checked before capture starts." };
        var write = new Option<FileInfo?>("--write", "-w") { Description = "Also write every captured packet to this pcapng file while analysing." };
        var count = new Option<long>("--count", "-c") { Description = "Stop after this many packets." };
        var duration = new Option<double>("--duration") { Description = "Stop after this many seconds." };
        var snapLength = new Option<int>("--snaplen", "-s") { Description = "Bytes kept of each packet.", DefaultValueFactory = _ => new LiveOptions().SnapLength };
        var noPromiscuous = new Option<bool>("--no-promisc") { Description = "Do not put the interface into promiscuous mode." };
        var buffer = new Option<int>("--buffer-size", "-B") { Description = "Kernel capture buffer in KiB: what absorbs a burst while the analyser is busy.", DefaultValueFactory = _ => new LiveOptions().BufferBytes >> 10 };
        var buffered = new Option<bool>("--buffered") { Description = "Not immediate mode: the kernel hands packets over in blocks, up to 0.1 s late, and a buffer holds many more small ones (for high packet rates, above all on lo)." };
        var format = CommonOptions.Format();
        var records = new Option<string>("--records") { Description = "Records to print with --format, as they complete: any of flows,stanzas,http.", DefaultValueFactory = _ => "flows" };
        var secrets = new Option<bool>("--show-secrets") { Description = "Show SASL payloads, passwords and Authorization instead of redacting them." };
        var display = FilterOption.Create("name=message");
        var maxElement = new Option<int>("--max-element") { Description = "Largest XMPP element held whole, in bytes.", DefaultValueFactory = _ => AnalyzerOutput.DefaultMaxElementBytes };
        CommonOptions.NotNegative(count);
        CommonOptions.NotNegative(duration);
        foreach (Option<int> o in (Option<int>[])[snapLength, buffer]) CommonOptions.Positive(o);

        var command = new Command("capture", "Capture live from a network interface (libpcap) and report flows as they end; Ctrl+C stops.")
        {
            device, filter, write, count, duration, snapLength, noPromiscuous, buffer, buffered, format, records, display, secrets, maxElement,
        };
        CommonOptions.AddLimits(command);
        command.Options.Add(CommonOptions.KeyLog);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            RecordKinds kinds = RecordKindNames.Parse(result.GetValue(records)!, out string? unknown);
            if (unknown is not null || kinds == RecordKinds.None)
                return Usage($"--records takes flows, stanzas or http (comma-separated), not \"{unknown ?? result.GetValue(records)}\"");
            OutputFormat? chosen = result.GetValue(format);
            // On a terminal without --format: the terminal UI in live mode.
            bool terminalUi = chosen is null && !Console.IsOutputRedirected;
            OutputFormat outputFormat = chosen ?? OutputFormats.Default;
            if (outputFormat == OutputFormat.Csv && RecordKindNames.Count(kinds) > 1)
                return Usage("--format csv takes one kind of --records; use jsonl for several");
            string? words = result.GetValue(display);
            if (words is not null && terminalUi)
                return Usage("--display-filter is for printed records (with --format); in the terminal UI, / filters");
            if (!DisplayFilters(words, kinds, out Shown shown)) return CommandRunner.Usage;

            var options = new LiveOptions
            {
                Interface = result.GetValue(device),
                Filter = result.GetValue(filter),
                SnapLength = result.GetValue(snapLength),
                Promiscuous = !result.GetValue(noPromiscuous),
                Immediate = !result.GetValue(buffered),
                BufferBytes = (int)Math.Min(int.MaxValue, (long)result.GetValue(buffer) << 10),
                MaxPackets = result.GetValue(count),
                Duration = result.GetValue(duration) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : null,
            };
            return Capture(options, result.GetValue(write)?.FullName, terminalUi ? null : outputFormat, kinds, shown, result.GetValue(secrets),
                Math.Max(1024, result.GetValue(maxElement)), CommonOptions.Limits(result), CommonOptions.KeyLogOf(result, follow: true));
        }));
        return command;
    }

    private static int Capture(LiveOptions options, string? writePath, OutputFormat? format, RecordKinds kinds, Shown shown, bool showSecrets,
        int maxElement, Analysis.Flows.FlowLimits limits, TlsKeyLog keys)
    {
        // Open first: a bad filter, a wrong interface or missing rights are reported before anything is created.
        LiveCapture live = LiveCapture.Open(options);
        PcapNgCopy? copy;
        try
        {
            copy = writePath is null ? null : PcapNgCopy.Create(writePath, options.SnapLength, Describe(live, options));
        }
        catch
        {
            live.Dispose();
            throw;
        }
        using PcapNgCopy? copyToClose = copy;
        if (format is not { } headless)
        {
            // CaptureRun closes the device when the capture ends.
            string title = live.Path + (string.IsNullOrWhiteSpace(options.Filter) ? "" : $" \"{options.Filter}\"") + (writePath is null ? "" : $" → {writePath}");
            return LiveExplorer.Run(live, title, copy, limits, showSecrets, maxElement, keys);
        }
        using StreamWriter stdout = StandardOutput.Open();
        var output = new LiveRecords(headless, stdout, kinds, showSecrets, maxElement, keys)
        {
            ShowFlow = shown.Flows, ShowStanza = shown.Stanzas, ShowHttp = shown.Http,
        };
        var run = new CaptureRun(() => live, limits) { Tap = copy, BatchDone = output.Flush };

        bool stopping = false;
        void OnSignal(PosixSignalContext context)
        {
            if (stopping) return; // a second Ctrl+C ends the process at once
            stopping = true;
            context.Cancel = true; // stop cleanly: read what the kernel holds, end the open flows
            live.Stop();
        }
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        Console.Error.WriteLine($"xmppsniff: {Describe(live, options)}{(writePath is null ? "" : $", writing {writePath}")} (Ctrl+C stops)");
        foreach (string warning in live.Warnings) Console.Error.WriteLine($"xmppsniff: note: {warning}");
        try
        {
            run.Run(new AnalysisListener(output, output: output.Analyzers));
        }
        finally
        {
            output.Finish();
            LiveStatistics s = live.Statistics;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"xmppsniff: {live.Frames} packets captured, {s.Received} received by filter, {s.Dropped} dropped by kernel, {s.InterfaceDropped} dropped by interface"));
        }
        return CommandRunner.Ok;
    }

    /// <summary>The display filter's test for each kind of record printed; null: no filter.</summary>
    private readonly record struct Shown(Func<FlowRecord, bool>? Flows, Func<XmppElement, bool>? Stanzas, Func<HttpTransaction, bool>? Http);

    /// <summary>
    /// The display filter for each kind of record selected. With several kinds, a kind lacking a field the words name
    /// prints none of its records (`name=message` keeps only stanzas); false, reported, when no kind can take them.
    /// </summary>
    private static bool DisplayFilters(string? words, RecordKinds kinds, out Shown shown)
    {
        shown = default;
        if (words is null) return true;
        string? firstError = null;
        bool any = false;
        shown = new Shown(
            For(kinds.HasFlag(RecordKinds.Flows), FilterOption.Flows),
            For(kinds.HasFlag(RecordKinds.Stanzas), FilterOption.Stanzas),
            For(kinds.HasFlag(RecordKinds.Http), FilterOption.Http));
        if (!any) FilterOption.Report(firstError!);
        return any;

        Func<T, bool>? For<T>(bool selected, FilterTarget<T> target)
        {
            if (!selected) return null;
            if (target.TryParse(words, out Func<T, bool>? matches, out string? error))
            {
                any = true;
                return matches;
            }
            firstError ??= error;
            return _ => false;
        }
    }

    /// <summary>What is being captured, as tcpdump says it: interface, link type, snap length, filter.</summary>
    private static string Describe(LiveCapture live, LiveOptions options) =>
        $"capturing on {live.Path}, link-type {DataLinks.Name(live.DataLink)}, snapshot length {options.SnapLength} bytes"
        + (string.IsNullOrWhiteSpace(options.Filter) ? "" : $", filter \"{options.Filter}\"");

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"xmppsniff: capture: {message}");
        return 1;
    }
}
