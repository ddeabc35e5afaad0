using System.CommandLine;
using XmppSniff.Analysis.Flows;
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
        var command = new Command("follow", "Print the reassembled stream of one connection.") { file, id, raw, secrets };
        CommonOptions.AddLimits(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            using StreamWriter output = StandardOutput.Open();
            var printer = new StreamPrinter(output, result.GetValue(raw), result.GetValue(secrets));
            var listener = new FollowListener(result.GetValue(id), printer);
            var run = new CaptureRun(result.GetValue(file)!.FullName, CommonOptions.Limits(result));
            run.Run(listener, stop: () => listener.Done);
            output.Flush();
            CommandRunner.ReportWarnings(run);
            if (listener.Record is null)
            {
                Console.Error.WriteLine($"xmppsniff: {result.GetValue(file)!.FullName}: no flow with id {result.GetValue(id)}");
                return 1;
            }
            return CommandRunner.Ok;
        }));
        return command;
    }

    private sealed class FollowListener(long id, StreamPrinter printer) : IFlowListener
    {
        public bool Done => Record is not null;

        public FlowRecord? Record { get; private set; }

        public void FlowStarted(Flow flow)
        {
            if (flow.Id != id) return;
            printer.Begin(flow);
            flow.Sink = printer;
        }

        public void FlowEnded(Flow flow, FlowRecord record)
        {
            if (flow.Id != id) return;
            Record = record;
            printer.End(record);
        }
    }
}
