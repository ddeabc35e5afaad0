using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Analysis.Tests.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Tls;

/// <summary>
/// Real STARTTLS sessions (captures/xmpp-tls13.pcap, xmpp-tls12.pcap, made by prosody and slixmpp)
/// through the XMPP analyzer with their key logs: the stream restarted inside TLS is read, and
/// cutting every chunk of the connection at any position gives the same elements.
/// </summary>
public class StartTlsDecryptionTests
{
    private static TlsKeyLog Keys(string name)
    {
        var keys = new TlsKeyLog();
        keys.AddFile(CapturedTlsChunks.Capture(name + ".keylog"));
        return keys;
    }

    private static List<string> Run(List<(FlowSide Side, byte[] Bytes)> chunks, XmppOptions options, int cut)
    {
        var harness = new XmppHarness(options);
        foreach ((FlowSide side, byte[] bytes) in chunks)
        {
            int at = Math.Min(cut, bytes.Length);
            harness.Feed(side, bytes.AsSpan(0, at));
            harness.Feed(side, bytes.AsSpan(at));
        }
        return harness.End().Elements.Select(e => $"{e.Direction} {e.Kind} {e.Name} {e.Summary}").ToList();
    }

    [Theory]
    [InlineData("xmpp-tls13", 1, "hello over tls13")]
    [InlineData("xmpp-tls12", 1, "hello over tls12-gcm")]
    [InlineData("xmpp-tls12", 2, "hello over tls12-chacha")]
    [InlineData("xmpp-tls12", 3, "hello over tls12-cbc-etm")]
    [InlineData("xmpp-tls12", 4, "hello over tls12-cbc-mte")]
    public void TheStreamInsideTlsIsReadWhereverTheBytesAreCut(string capture, long flow, string message)
    {
        List<(FlowSide, byte[])> chunks = CapturedTlsChunks.Of(capture + ".pcap", flow);
        var options = new XmppOptions { TlsKeys = Keys(capture) };
        List<string> whole = Run(chunks, options, int.MaxValue);

        Assert.Equal(2, whole.Count(e => e.Contains($"message chat: \"{message}\"")));
        Assert.Equal(6, whole.Count(e => e.Contains("stream-open"))); // each side: before STARTTLS, inside TLS, after SASL
        Assert.Contains(whole, e => e.StartsWith("Server nonza success"));
        Assert.DoesNotContain(whole, e => e.Contains(" note "));

        int longest = chunks.Max(c => c.Item2.Length);
        for (int cut = 1; cut < longest; cut += cut < 64 ? 1 : 37)
            Assert.Equal(whole, Run(chunks, options, cut));
    }

    [Fact]
    public void WithoutTheKeyTheStreamStopsAtProceedAndOneNoteSaysWhy()
    {
        List<(FlowSide, byte[])> chunks = CapturedTlsChunks.Of("xmpp-tls13.pcap", 1);
        var other = new TlsKeyLog();
        other.Add($"CLIENT_RANDOM {new string('0', 64)} {new string('1', 96)}");
        List<string> elements = Run(chunks, new XmppOptions { TlsKeys = other }, int.MaxValue);
        Assert.Equal("Server nonza proceed STARTTLS proceed: TLS follows", elements[^2]);
        Assert.Equal("Server note tls TLS not decrypted: no SERVER_HANDSHAKE_TRAFFIC_SECRET line in the key log for this connection's client random", elements[^1]);
    }
}
