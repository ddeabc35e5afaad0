using System.CommandLine;
using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Capture.Files;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff follow FILE ID`: the reassembled bytes of one flow, both directions marked, like tshark's follow.</summary>
internal static class FollowCommand
{
    public static Command Create()
    {
        var file = CommonOptions.File();
        var id = new Argument<long>("FLOW-ID") { Description = "The flow's id, as `xmppsniff flows` prints it." };
        var raw = new Option<bool>("--raw") { Description = "Print the bytes as hex (server lines indented), as tshark's follow raw." };
        var secrets = new Option<bool>("--show-secrets") { Description = "Show credentials (SASL payloads, passwords, Authorization and Cookie values) instead of masking them with '*'." };
        var command = new Command("follow", "Print the reassembled stream of one connection; with --keylog, its decrypted TLS stream (as tshark's follow,tls).") { file, id, raw, secrets };
        command.Options.Add(CommonOptions.KeyLog);
        command.Options.Add(CommonOptions.Count);
        CommonOptions.AddLimits(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            using StreamWriter output = StandardOutput.Open();
            var printer = new StreamPrinter(output, result.GetValue(raw), result.GetValue(secrets));
            TlsKeyLog keys = CommonOptions.KeyLogOf(result);
            var listener = new FollowListener(result.GetValue(id), printer, result.GetValue(CommonOptions.KeyLog) is null ? null : keys);
            var run = CommonOptions.FileRun(result, file, keys, 0);
            run.Run(listener, stop: () => listener.Done);
            output.Flush();
            CommandRunner.ReportWarnings(run);
            if (listener.Record is null)
            {
                Console.Error.WriteLine($"xmppsniff: {CaptureFile.NameOf(CommonOptions.CapturePath(result.GetValue(file)!))}: no flow with id {result.GetValue(id)}");
                return 1;
            }
            return CommandRunner.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Prints the flow's bytes; given keys, runs the flow's analyzers instead and prints only what
    /// TLS decryption yields, then says why if nothing could be decrypted.
    /// </summary>
    private sealed class FollowListener(long id, StreamPrinter printer, TlsKeyLog? keys) : IFlowListener
    {
        private bool _decryptedAny;

        public bool Done => Record is not null;

        public FlowRecord? Record { get; private set; }

        public void FlowStarted(Flow flow)
        {
            if (flow.Id != id) return;
            printer.Begin(flow);
            if (keys is null)
            {
                flow.Sink = printer;
                return;
            }
            flow.Sink = new AnalyzerHost(flow, ProtocolRegistry.Default);
            flow.Output = new AnalyzerOutput
            {
                TlsKeys = keys,
                TlsTap = (flowId, from, data, at) =>
                {
                    _decryptedAny = true;
                    printer.OnData(from, data, at.Time, at.Frame);
                },
            };
        }

        public void FlowEnded(Flow flow, FlowRecord record)
        {
            if (flow.Id != id) return;
            if (flow.Sink is AnalyzerHost host) record = host.End(record);
            Record = record;
            printer.End(record);
            if (keys is not null && !_decryptedAny)
                Console.Error.WriteLine($"xmppsniff: flow {id}: nothing decrypted: {DecryptReason(record) ?? "no TLS application data"}");
        }

        private static string? DecryptReason(FlowRecord record)
        {
            if (record.Details is null) return null;
            foreach (object? details in record.Details.Values)
            {
                if (details is not IReadOnlyDictionary<string, object?> d) continue;
                if (d.TryGetValue("decrypt_reason", out object? reason) && reason is string r) return r;
                if (d.TryGetValue("tls", out object? tls) && tls is IReadOnlyDictionary<string, object?> t && t.TryGetValue("decrypt_reason", out object? r2) && r2 is string s2) return s2;
            }
            return null;
        }
    }
}
