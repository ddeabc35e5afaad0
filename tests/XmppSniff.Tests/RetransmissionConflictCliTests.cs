using System.Text;
using System.Text.Json;

namespace XmppSniff.Tests;

/// <summary>
/// A resent segment whose bytes differ from what was already delivered reaches `summary` as
/// `flows` → `retransmission_conflicts`; a faithful resend does not; `follow` shows the first copy.
/// </summary>
public class RetransmissionConflictCliTests : TempFiles
{
    private static readonly uint Client = CaptureBuilder.Ip(10, 0, 0, 1), Server = CaptureBuilder.Ip(10, 0, 0, 2);

    private string Capture(string resent) => WriteCapture($"resend-{resent.GetHashCode():x}.pcap", capture =>
    {
        var flow = new TcpConversation(capture, Client, 40000, Server, 5222).Open();
        uint at = flow.ClientSeq;
        flow.Client("<message to='bob@example.test'><body>pay alice</body></message>");
        capture.Tcp(Client, 40000, Server, 5222, CaptureBuilder.Ack | CaptureBuilder.Psh, at, flow.ServerSeq, Encoding.ASCII.GetBytes(resent));
        flow.Server("<r/>");
        flow.Close();
    });

    private static JsonElement Flows(string path)
    {
        Cli.Result result = Cli.Run("summary", path, "--json");
        Assert.Equal(0, result.ExitCode);
        return JsonDocument.Parse(result.Stdout).RootElement.GetProperty("flows").Clone();
    }

    [Fact]
    public void DifferentBytesAreCountedAndTheFirstCopyIsFollowed()
    {
        string path = Capture("<message to='bob@example.test'><body>pay  mallory</body></message>"[..63]);
        JsonElement flows = Flows(path);
        Assert.Equal(1, flows.GetProperty("retransmission_conflicts").GetInt64());
        Assert.Equal(0, flows.GetProperty("overlap_conflicts").GetInt64());
        Assert.Equal(1, flows.GetProperty("retransmissions").GetInt64());

        Cli.Result follow = Cli.Run("follow", path, "1");
        Assert.Contains("pay alice", follow.Stdout);
        Assert.DoesNotContain("mallory", follow.Stdout);

        Cli.Result text = Cli.Run("summary", path);
        Assert.Matches(@"retransmission_conflicts\s+1\n", text.Stdout);
    }

    [Fact]
    public void TheSameBytesAgainAreNotCounted()
    {
        JsonElement flows = Flows(Capture("<message to='bob@example.test'><body>pay alice</body></message>"));
        Assert.Equal(0, flows.GetProperty("retransmission_conflicts").GetInt64());
        Assert.Equal(1, flows.GetProperty("retransmissions").GetInt64());
    }
}
