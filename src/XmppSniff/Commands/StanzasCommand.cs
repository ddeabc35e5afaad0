using System.CommandLine;
using XmppSniff.Analysis.Protocols;
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
        var command = new Command("stanzas", "Every top-level XMPP element (stream headers, stanzas, nonzas) of every XMPP connection.")
        {
            file, format, flow, secrets,
        };
        CommonOptions.AddElementLimits(command);
        command.Options.Add(CommonOptions.KeyLog);
        CommonOptions.AddLimits(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            using StreamWriter stdout = StandardOutput.Open();
            var writer = new WriterThread<XmppElement>(
                OutputFormats.Create(result.GetValue(format) ?? OutputFormats.Default, stdout, StanzaColumns.All),
                e => e.Size);
            long? only = result.GetValue(flow);
            TlsKeyLog keys = CommonOptions.KeyLogOf(result);
            var output = CommonOptions.Output(result,
                r => { if (r is XmppElement e && (only is null || e.Flow == only)) writer.Write(e); },
                result.GetValue(secrets), keys);
            var run = new CaptureRun(result.GetValue(file)!.FullName, CommonOptions.Limits(result)) { TlsKeys = keys, AnalysisThread = true };
            run.Run(new AnalysisListener(new NoFlowListener(), output: output));
            writer.Finish();
            CommandRunner.ReportWarnings(run);
            return CommandRunner.Ok;
        }));
        return command;
    }
}
