using System.CommandLine;
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
        var command = new Command("summary", "Packets, time span, link types, protocol mix, flows by state and kind, errors.") { file, json };
        CommonOptions.AddElementLimits(command);
        CommonOptions.AddLimits(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            var tally = new FlowTally();
            var run = new CaptureRun(CommonOptions.CapturePath(result.GetValue(file)!), CommonOptions.Limits(result)) { AnalysisThreads = CaptureRun.DefaultAnalysisThreads };
            var elements = CommonOptions.Output(result);
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
