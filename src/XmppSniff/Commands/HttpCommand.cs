using System.CommandLine;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff http FILE`: one record per HTTP/1.x request and response, in order of request time.</summary>
internal static class HttpCommand
{
    public static Command Create()
    {
        var file = CommonOptions.File();
        var format = CommonOptions.Format();
        var showSecrets = new Option<bool>("--show-secrets") { Description = "Print Authorization credentials instead of redacting them." };
        var filter = FilterOption.Create("status=404 host=example.test");
        var command = new Command("http", "List HTTP/1.x transactions (request and response) on every connection, on any port.") { file, format, showSecrets, filter };
        command.Options.Add(CommonOptions.KeyLog);
        command.Options.Add(CommonOptions.Count);
        CommonOptions.AddLimits(command);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            if (!FilterOption.TryCreate(result, filter, FilterOption.Http, out var matches))
                return CommandRunner.Usage;
            // Transactions finish in any order across connections; they are sorted once at the end
            // (a record is small: this holds one per transaction, not their bytes).
            var transactions = new List<HttpTransaction>();
            TlsKeyLog keys = CommonOptions.KeyLogOf(result);
            var output = new AnalyzerOutput(r => { if (r is HttpTransaction t) transactions.Add(t); }, result.GetValue(showSecrets)) { TlsKeys = keys };
            var run = CommonOptions.FileRun(result, file, keys, CaptureRun.DefaultAnalysisThreads);
            run.Run(new AnalysisListener(new NoFlowListener(), output: output));

            using StreamWriter stdout = StandardOutput.Open();
            RecordWriter<HttpTransaction> writer = OutputFormats.Create(result.GetValue(format) ?? OutputFormats.Default, stdout, HttpColumns.All);
            foreach (HttpTransaction t in transactions.OrderBy(t => t.Time).ThenBy(t => t.Flow))
                if (matches?.Invoke(t) != false) writer.Write(t);
            writer.Finish();
            CommandRunner.ReportWarnings(run);
            return CommandRunner.Ok;
        }));
        return command;
    }
}
