using System.Diagnostics;
using System.Text;

namespace XmppSniff.Tests;

/// <summary>
/// `xmppsniff stanzas big.pcap | head`: once the reader of stdout has gone, the run ends quietly with
/// exit code 0, like tcpdump's, instead of decoding the rest of the file into a closed pipe.
/// </summary>
public class BrokenPipeTests : TempFiles
{
    [Fact]
    public async Task A_closed_stdout_ends_the_run_quietly_without_its_end_of_file_report()
    {
        // 20,000 stanzas (about 9 MB of JSONL, far more than a pipe holds), then a last packet cut short:
        // a run that reaches the end of the file warns about that cut.
        string path = WriteCapture("many.pcap", capture =>
        {
            var flow = new TcpConversation(capture, CaptureBuilder.Ip(10, 0, 0, 1), 40000, CaptureBuilder.Ip(10, 0, 0, 2), 5222).Open();
            flow.Client("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>");
            var stanzas = new StringBuilder();
            for (int i = 0; i < 20_000; i++)
            {
                stanzas.Append($"<message id='m{i}' to='juliet@example.com' type='chat'><body>hello {i}</body></message>");
                if (stanzas.Length > 1200)
                {
                    flow.Client(stanzas.ToString());
                    stanzas.Clear();
                }
            }
            flow.Client(stanzas.ToString());
        });
        using (var file = File.OpenWrite(path)) file.SetLength(file.Length - 10);
        Assert.Contains("truncated", Cli.Run("stanzas", path, "--format", "jsonl").Stderr); // the report a whole run makes

        using Process process = Cli.Start(input: false, "stanzas", path, "--format", "jsonl");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.StartsWith("{\"flow\":1", await process.StandardOutput.ReadLineAsync());
        process.StandardOutput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("", await stderr);
    }
}
