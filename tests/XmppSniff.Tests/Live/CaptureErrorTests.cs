using System.Diagnostics;
using Xunit.Abstractions;
using XmppSniff.Capture.Live;
using XmppSniff.Tests.Shared;

namespace XmppSniff.Tests.Live;

/// <summary>
/// The errors a user meets when capturing: one line on stderr saying what to do, exit code 2,
/// nothing on stdout. Made real where the machine allows: capabilities dropped with setpriv,
/// libpcap hidden in a private mount namespace, a dummy interface left down.
/// </summary>
public sealed class CaptureErrorTests(ITestOutputHelper log)
{
    private static string OneLine(Cli.Result result)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        return Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [LiveFact]
    public void ABadFilterIsOneLineBeforeCapture()
    {
        string line = OneLine(Cli.Run("capture", "-i", "lo", "-f", "tcp port eighty", "--format", "jsonl"));
        Assert.StartsWith("xmppsniff: bad capture filter \"tcp port eighty\": ", line);
        Assert.Contains("pcap-filter", line);
    }

    [Fact]
    public void AKeyLogThatCannotBeReadIsOneLineBeforeCapture()
    {
        string missing = Path.Combine(Path.GetTempPath(), "xmppsniff-no-such.keylog");
        string line = OneLine(Cli.Run("capture", "-i", "lo", "--keylog", missing, "--format", "jsonl"));
        Assert.StartsWith($"xmppsniff: {missing}: cannot read the key log", line);
    }

    [LiveFact]
    public void AFilterTheLinkTypeCannotTakeIsOneLine()
    {
        // Valid for Ethernet, but "any" (Linux cooked capture) has no Ethernet addresses: only the open device can tell.
        string line = OneLine(Cli.Run("capture", "-i", "any", "-f", "ether host 02:00:00:00:00:01", "--format", "jsonl"));
        Assert.StartsWith("xmppsniff: bad capture filter \"ether host 02:00:00:00:00:01\": ethernet addresses supported only on ", line);
    }

    [LiveFact]
    public void NoSuchInterfaceListsTheValidOnes()
    {
        string line = OneLine(Cli.Run("capture", "-i", "nosuch0", "--format", "jsonl"));
        Assert.StartsWith("xmppsniff: no interface named nosuch0; choose one of: ", line);
        Assert.Matches(@"\blo\b", line);
    }

    [LiveFact]
    public void AnInterfaceThatIsDownSaysHowToBringItUp()
    {
        string? created = null;
        string? down = TryRun("ip", "link", "add", "xsniffdown0", "type", "dummy") ? created = "xsniffdown0"
            : NetworkInterfaces.List().FirstOrDefault(i => !i.Up && !i.Pseudo)?.Name;
        try
        {
            if (down is null)
            {
                log.WriteLine("no interface that is down, and none could be made: nothing to try here");
                return;
            }
            string line = OneLine(Cli.Run("capture", "-i", down, "--format", "jsonl"));
            Assert.Equal($"xmppsniff: interface {down} is down: bring it up (ip link set {down} up) or choose another with -i", line);
        }
        finally
        {
            if (created is not null) TryRun("ip", "link", "del", created);
        }
    }

    [LiveFact]
    public void WithoutTheCapabilitiesItSaysToRunAsRootOrGrantThem()
    {
        // Root without CAP_NET_RAW and CAP_NET_ADMIN is as unprivileged as it gets for capturing.
        Cli.Result result = Run(["setpriv", "--bounding-set", "-net_raw,-net_admin", "--inh-caps", "-net_raw,-net_admin",
            .. Cli.Invocation, "capture", "-i", "lo", "--format", "jsonl"]);
        string line = OneLine(result);
        Assert.StartsWith("xmppsniff: no permission to capture on lo: run as root, or grant the capabilities once with: setcap cap_net_raw,cap_net_admin=eip /", line);
    }

    [LiveFact]
    public void WithoutLibpcapItNamesTheDebianPackage()
    {
        // Hide every libpcap the loader could find, in a mount namespace of our own.
        const string script = "for f in $(ldconfig -p | awk '/libpcap\\.so/ {print $NF}'); do mount --bind /dev/null \"$(readlink -f \"$f\")\" || exit 99; done; exec \"$@\"";
        foreach (string[] command in new[] { new[] { "capture", "-i", "lo", "--format", "jsonl" }, ["interfaces"] })
        {
            Cli.Result result = Run(["unshare", "-m", "sh", "-c", script, "sh", .. Cli.Invocation, .. command]);
            Assert.NotEqual(99, result.ExitCode);
            Assert.Equal("xmppsniff: libpcap is not installed; install it (Debian/Ubuntu: apt-get install libpcap0.8) and try again", OneLine(result));
        }
    }

    [LiveFact]
    public void InterfacesListsLoopbackWithItsAddressAndLinkType()
    {
        Cli.Result result = Cli.Run("interfaces", "--format", "jsonl");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(
            "{\"name\":\"lo\",\"state\":\"up,running,loopback\",\"link_type\":\"EN10MB\",\"default\":false,\"addresses\":\"127.0.0.1 ::1\"",
            result.Stdout.Replace("\"addresses\":\"127.0.0.1\"", "\"addresses\":\"127.0.0.1 ::1\""));
    }

    private static Cli.Result Run(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in command[1..]) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(string.Join(' ', command) + " did not finish");
        }
        return new Cli.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static bool TryRun(params string[] command)
    {
        try
        {
            return Run(command).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such program
        }
    }
}
