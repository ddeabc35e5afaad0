using System.Text.RegularExpressions;

namespace XmppSniff.Tests.Ndpi;

/// <summary>One flow line of nDPI's expected output (result/NAME.out), as far as we compare it.</summary>
internal sealed partial record NdpiFlow(string Protocol, string Client, string Server, string Label, long ClientPackets, long ServerPackets)
{
    // "1	TCP 172.16.0.62:57094 <-> 172.16.1.138:5222 [proto: 67/Jabber]...[44 pkts/5701 bytes <-> 42 pkts/13807 bytes]...";
    // a VLAN tag before the protocol, and a tunnel nDPI looked into before its number ("[VLAN: 113][proto: GTP:7/HTTP]").
    [GeneratedRegex(@"^\s*\d+\s+(TCP|UDP) (\S+) (<->|->) (\S+) (?:\[VLAN: \d+\])?\[proto: (?:[A-Za-z]+:)?[\d.]+/([^\]]+)\].*?\[(\d+) pkts/\d+ bytes (?:<->|->) (\d+) pkts/\d+ bytes\]")]
    private static partial Regex Line();

    public bool BothDirections => ClientPackets > 0 && ServerPackets > 0;

    public static IEnumerable<NdpiFlow> Read(string path)
    {
        foreach (string line in File.ReadLines(path))
        {
            Match m = Line().Match(line);
            if (!m.Success) continue;
            yield return new NdpiFlow(m.Groups[1].Value.ToLowerInvariant(), m.Groups[2].Value, m.Groups[4].Value, m.Groups[5].Value,
                long.Parse(m.Groups[6].Value), long.Parse(m.Groups[7].Value));
        }
    }
}
