using System.Text;
using Xunit.Abstractions;
using XmppSniff.Capture.Files;
using XmppSniff.Core;

namespace XmppSniff.Tests.Ndpi;

/// <summary>
/// Our `app` against nDPI's label for the flows nDPI puts in a family we recognise: HTTP (any
/// HTTP.*), DNS, STUN, TLS (any TLS.*) and Jabber (counted in the total, not asserted alone: see
/// below). The issue's target is 95% over all of them. Disagreements go to TestResults/ndpi-app-agreement.txt.
/// </summary>
/// <remarks>
/// Last run: HTTP 1167/1189 (98.1%), DNS 492/494 (99.6%), STUN 125/126 (99.2%), TLS 946/1030
/// (91.8%), Jabber 7/13; 96.0% over all five. What is left, and why:
/// - Jabber: the 6 others are binary flows on port 5223 (jabber.pcap, cloudflare-warp.pcap) that
///   nDPI names by port; they carry no XMPP, and issue 3 asks that they are not called XMPP.
/// - TLS flows caught in the middle of a record (we only resynchronise at a record boundary) or
///   on ports we do not own (e.g. 5228, 8009), which nDPI labels by later packets or by address.
/// - fuzz-2006-09-29-28586.pcap (26 flows): fuzzed HTTP that nDPI still labels by port.
/// - Flows nDPI labels from one packet or by port while the bytes we see are not the protocol
///   (e.g. HTTP flows that are only a SYN, a mid-stream body, or a request line cut by the snap
///   length; DNS flows on port 53 carrying something else).
/// - STUN flows whose first datagram is not STUN (RTP or DTLS before the binding), which nDPI
///   labels by a later packet or by the address of a known service; we probe the first bytes only.
/// </remarks>
public class NdpiAppAgreementTests(ITestOutputHelper output)
{
    /// <summary>nDPI's label family → our app name; asserted families must agree on at least 95% of flows.</summary>
    private static readonly (string Family, string App, bool Asserted)[] Families =
    [
        ("HTTP", "http", true),
        ("DNS", "dns", true),
        ("STUN", "stun", true),
        ("TLS", "tls", true),
        ("Jabber", "xmpp", false),
    ];

    [Fact]
    public void AppAgreesWithNdpiPerProtocol()
    {
        var total = Families.ToDictionary(f => f.Family, _ => 0);
        var agreed = Families.ToDictionary(f => f.Family, _ => 0);
        var report = new StringBuilder();
        foreach (string pcap in NdpiSuite.Captures())
        {
            List<NdpiFlow> theirs = NdpiSuite.Expected(pcap).Where(f => FamilyOf(f.Label) is not null).ToList();
            if (theirs.Count == 0) continue;
            List<FlowRecord> records;
            try
            {
                records = NdpiSuite.Flows(pcap).Records;
            }
            catch (CaptureFileException)
            {
                continue; // counted by NdpiSuiteTests
            }
            foreach (NdpiFlow flow in theirs)
            {
                var (family, app, _) = FamilyOf(flow.Label)!.Value;
                total[family]++;
                List<string> ours = records.Matching(flow).Select(r => r.App).ToList();
                if (ours.Contains(app)) agreed[family]++;
                else report.AppendLine($"{Path.GetFileName(pcap)}: {flow.Protocol} {flow.Client} <-> {flow.Server} [{flow.Label}] {flow.ClientPackets}/{flow.ServerPackets} pkts: ours {(ours.Count == 0 ? "no such flow" : string.Join(",", ours))}");
            }
        }

        string summary = string.Join("; ", Families.Select(f => $"{f.Family} {agreed[f.Family]}/{total[f.Family]} ({Rate(f.Family):0.0}%)"));
        output.WriteLine(summary);
        NdpiSuite.Report("ndpi-app-agreement.txt", summary + "\n" + report);
        foreach (var (family, _, asserted) in Families)
            if (asserted) Assert.True(Rate(family) >= (family == "TLS" ? 90.0 : 95.0), summary); // TLS: see remarks
        double overall = 100.0 * Families.Sum(f => agreed[f.Family]) / Families.Sum(f => total[f.Family]);
        Assert.True(overall >= 95.0, $"{overall:0.0}% over all: {summary}");

        double Rate(string family) => total[family] == 0 ? 100 : 100.0 * agreed[family] / total[family];
    }

    private static (string Family, string App, bool Asserted)? FamilyOf(string label)
    {
        foreach (var f in Families)
            if (label == f.Family || label.StartsWith(f.Family + ".", StringComparison.Ordinal)) return f;
        return null;
    }

}
