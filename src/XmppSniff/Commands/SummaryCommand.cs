using System.CommandLine;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff summary FILE`: what the file holds and what could not be read, in one screen.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var file = CommonOptions.File();
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object." };
        var command = new Command("summary", "Packets, time span, link types, protocol mix, flows by state and kind, XMPP by element and round trip, HTTP by method and status, errors.") { file, json };
        CommonOptions.AddElementLimits(command);
        command.Options.Add(CommonOptions.KeyLog);
        command.Options.Add(CommonOptions.Count);
        CommonOptions.AddLimits(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var tally = new FlowTally();
            TlsKeyLog keys = CommonOptions.KeyLogOf(result);
            var run = CommonOptions.FileRun(result, file, keys, CaptureRun.DefaultAnalysisThreads);
            var elements = CommonOptions.Output(result, record =>
            {
                if (record is XmppElement element) tally.Xmpp.Add(element);
                else if (record is HttpTransaction transaction) tally.Http.Add(transaction);
            }, keys: keys);
            run.Run(new AnalysisListener(tally, output: elements));
            using StreamWriter output = StandardOutput.Open();
            var report = SummaryReport.Build(run, tally, elements.Limits);
            if (result.GetValue(json)) report.WriteJson(output);
            else report.WriteText(output);
            output.Flush();
            CommandRunner.ReportWarnings(run);
            return CommandRunner.Ok;
        }));
        return command;
    }
}
