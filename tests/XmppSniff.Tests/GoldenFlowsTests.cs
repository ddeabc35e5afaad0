namespace XmppSniff.Tests;

/// <summary>
/// Every capture in captures/ through `xmppsniff flows --format jsonl`, compared with a checked-in
/// baseline (stdout, then the exit code and stderr). Set XMPPSNIFF_UPDATE_GOLDEN=1 to rewrite them.
/// </summary>
/// <remarks>
/// The byte counts were checked once by hand against tshark 4.0.17 (2026-11-25): for every TCP
/// flow of every capture here, bytes_c2s and bytes_s2c equal max(tcp.seq + tcp.len) - min(tcp.seq)
/// per direction from `tshark -T fields` with relative sequence numbers. The exceptions are flows
/// tshark keeps as one stream and we split after an idle timeout or a RST (the nDPI jabber capture,
/// 4 flows; sll1_rtsp, 2 flows: same bytes in total) and the fuzzed corrupt_fuzzed_big-endian_http.
/// </remarks>
public class GoldenFlowsTests
{
    public static TheoryData<string> Captures() => Golden.Captures();

    [Theory]
    [MemberData(nameof(Captures))]
    public void FlowsMatchTheBaseline(string capture) => Golden.Check("flows", capture);
}
