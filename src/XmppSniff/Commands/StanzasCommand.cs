using System.CommandLine;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff stanzas FILE`: one record per top-level element of every XMPP stream, as each completes.</summary>
internal static class StanzasCommand
{
    public static Command Create()
    {
        var file = CommonOptions.File();
        var format = CommonOptions.Format();
        var flow = new Option<long?>("--flow") { Description = "Only the flow with this id (as `xmppsniff flows` prints it)." };
        var secrets = new Option<bool>("--show-secrets") { Description = "Show SASL payloads and passwords instead of redacting them." };
        var filter = FilterOption.Create("name=message from=alice@example.test");
        var command = new Command("stanzas", "Every top-level XMPP element (stream headers, stanzas, nonzas) of every XMPP connection.")
        {
            file, format, flow, secrets, filter,
        };
        CommonOptions.AddElementLimits(command);
        command.Options.Add(CommonOptions.KeyLog);
        command.Options.Add(CommonOptions.Count);
        CommonOptions.AddLimits(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            if (!FilterOption.TryCreate(result, filter, FilterOption.Stanzas, out var matches))
                return CommandRunner.Usage;
            using StreamWriter stdout = StandardOutput.Open();
            // A written element gives its large copy back for the next one (see ElementCopyPool).
            var copies = new ElementCopyPool();
            OutputFormat chosen = result.GetValue(format) ?? OutputFormats.Default;
            var writer = new WriterThread<XmppElement>(
                chosen == OutputFormat.Jsonl ? new StanzaJsonWriter(stdout) : OutputFormats.Create(chosen, stdout, StanzaColumns.All),
                e => e.Size, copies.Release);
            long? only = result.GetValue(flow);
            TlsKeyLog keys = CommonOptions.KeyLogOf(result);
            var output = CommonOptions.Output(result, r =>
            {
                if (r is not XmppElement e) return;
                if ((only is null || e.Flow == only) && matches?.Invoke(e) != false) writer.Write(e);
                else copies.Release(e);
            }, result.GetValue(secrets), keys, copies);
            var run = CommonOptions.FileRun(result, file, keys, CaptureRun.DefaultAnalysisThreads);
            run.Run(new AnalysisListener(new NoFlowListener(), output: output));
            writer.Finish();
            CommandRunner.ReportWarnings(run);
            return CommandRunner.Ok;
        }));
        return command;
    }
}
