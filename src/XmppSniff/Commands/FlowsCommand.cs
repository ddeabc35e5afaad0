using System.CommandLine;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff flows FILE`: one record per TCP connection or UDP flow, in order of first packet.</summary>
internal static class FlowsCommand
{
    public static Command Create()
    {
        var file = CommonOptions.File();
        var format = CommonOptions.Format();
        var filter = FilterOption.Create("kind=long close=rst");
        var command = new Command("flows", "List every TCP connection and UDP flow with its lifecycle.") { file, format, filter };
        command.Options.Add(CommonOptions.KeyLog);
        command.Options.Add(CommonOptions.Count);
        CommonOptions.AddLimits(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            if (!FilterOption.TryCreate(result, filter, FilterOption.Flows, out var matches))
                return CommandRunner.Usage;
            using StreamWriter output = StandardOutput.Open();
            var writer = new WriterThread<FlowRecord>(
                OutputFormats.Create(result.GetValue(format) ?? OutputFormats.Default, output, FlowColumns.All, FlowColumns.Extra),
                _ => 1024);
            var ordered = new OrderedRecords(r => { if (matches?.Invoke(r) != false) writer.Write(r); });
            TlsKeyLog keys = CommonOptions.KeyLogOf(result);
            // One analysing thread: recognising protocols is light here, the flow table is the busy thread.
            var run = CommonOptions.FileRun(result, file, keys, 1);
            run.Run(new AnalysisListener(new RecordListener(ordered.Add), output: new AnalyzerOutput { TlsKeys = keys }));
            writer.Finish();
            CommandRunner.ReportWarnings(run);
            return CommandRunner.Ok;
        }));
        return command;
    }

    private sealed class RecordListener(Action<FlowRecord> ended) : IFlowListener
    {
        public void FlowStarted(Flow flow)
        {
        }

        public void FlowEnded(Flow flow, FlowRecord record) => ended(record);
    }
}
