using System.Diagnostics;
using XmppSniff.Analysis.Flows;
using XmppSniff.Core;
using XmppSniff.Running;

namespace XmppSniff.Tests.Ndpi;

/// <summary>nDPI's regression suite as copied into tests/ndpi-suite: its captures, its expected flows, and our flows for them.</summary>
internal static class NdpiSuite
{
    public static readonly string Root = Path.Combine(Repo.Root, "tests", "ndpi-suite");

    public static readonly TimeSpan MaxPerFile = TimeSpan.FromSeconds(30);

    public static IEnumerable<string> Captures() =>
        Directory.EnumerateFiles(Path.Combine(Root, "pcap")).Order(StringComparer.Ordinal);

    /// <summary>nDPI's expected flows for <paramref name="capture"/>, or none when it has no result file.</summary>
    public static IEnumerable<NdpiFlow> Expected(string capture)
    {
        string path = Path.Combine(Root, "result", Path.GetFileName(capture) + ".out");
        return File.Exists(path) ? NdpiFlow.Read(path) : [];
    }

    /// <summary>Our flow records for a capture, protocols recognised; throws CaptureFileException for unreadable files.</summary>
    public static (List<FlowRecord> Records, TimeSpan Took) Flows(string capture)
    {
        var collector = new Collector();
        var clock = Stopwatch.StartNew();
        new CaptureRun(capture, new FlowLimits()).Run(new AnalysisListener(collector), stop: () => clock.Elapsed > MaxPerFile);
        return (collector.Records, clock.Elapsed);
    }

    /// <summary>Our flows with the endpoints of nDPI's flow, either way round.</summary>
    public static IEnumerable<FlowRecord> Matching(this List<FlowRecord> ours, NdpiFlow theirs) =>
        ours.Where(r => (r.Protocol == IpProtocol.Tcp ? "tcp" : "udp") == theirs.Protocol
            && ((Same(r.Client, theirs.Client) && Same(r.Server, theirs.Server)) || (Same(r.Client, theirs.Server) && Same(r.Server, theirs.Client))));

    /// <summary>Compares as addresses, not text: nDPI writes IPv6 in its own way (e.g. "face:b00c::2" for our "face:b00c:0:2").</summary>
    public static bool Same(Endpoint ours, string theirs)
    {
        int colon = theirs.LastIndexOf(':');
        return ushort.TryParse(theirs.AsSpan(colon + 1), out ushort port) && port == ours.Port
            && System.Net.IPAddress.TryParse(theirs.AsSpan(0, colon).Trim("[]"), out var address)
            && address.Equals(System.Net.IPAddress.Parse(ours.Address.ToString()));
    }

    /// <summary>Writes a report under TestResults/ for a person to read after the run.</summary>
    public static void Report(string name, string text)
    {
        Directory.CreateDirectory(Path.Combine(Repo.Root, "TestResults"));
        File.WriteAllText(Path.Combine(Repo.Root, "TestResults", name), text);
    }

    private sealed class Collector : IFlowListener
    {
        public readonly List<FlowRecord> Records = [];

        public void FlowStarted(Flow flow)
        {
        }

        public void FlowEnded(Flow flow, FlowRecord record) => Records.Add(record);
    }
}
