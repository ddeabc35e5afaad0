using System.Text;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Tls;

public class TlsAnalyzerTests
{
    private static byte[] U16(int v) => [(byte)(v >> 8), (byte)v];

    private static byte[] Vec8(byte[] b) => [(byte)b.Length, .. b];

    private static byte[] Vec16(byte[] b) => [.. U16(b.Length), .. b];

    private static byte[] Extension(int type, byte[] data) => [.. U16(type), .. Vec16(data)];

    private static byte[] Handshake(byte type, byte[] body) => [type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length, .. body];

    private static byte[] Record(byte type, byte[] body) => [type, 3, 3, .. U16(body.Length), .. body];

    private static byte[] ClientHello(string sni)
    {
        byte[] name = Encoding.ASCII.GetBytes(sni);
        byte[] extensions =
        [
            .. Extension(0, Vec16([0, .. Vec16(name)])),
            .. Extension(16, Vec16([.. Vec8("h2"u8.ToArray()), .. Vec8("http/1.1"u8.ToArray())])),
            .. Extension(43, Vec8([0x1A, 0x1A, 3, 4, 3, 3])), // GREASE, TLS 1.3, TLS 1.2
        ];
        byte[] body = [3, 3, .. new byte[32], 0, .. Vec16([0x13, 0x02, 0xC0, 0x2F]), 1, 0, .. Vec16(extensions)];
        return Record(TlsRecord.Handshake, Handshake(1, body));
    }

    private static byte[] ServerHello()
    {
        byte[] extensions = [.. Extension(43, [3, 4])];
        byte[] body = [3, 3, .. new byte[32], 0, 0x13, 0x02, 0, .. Vec16(extensions)];
        return [.. Record(TlsRecord.Handshake, Handshake(2, body)), .. Record(TlsRecord.ApplicationData, new byte[100])];
    }

    private static IReadOnlyDictionary<string, object?> Run(byte[] client, byte[] server, int cut)
    {
        var analyzer = new TlsAnalyzer();
        foreach ((FlowSide side, byte[] bytes) in new[] { (FlowSide.Client, client), (FlowSide.Server, server) })
        {
            // Offer the bytes in two pieces, re-offering what was not consumed, as the host does.
            byte[] held = [];
            foreach (byte[] piece in new[] { bytes[..Math.Min(cut, bytes.Length)], bytes[Math.Min(cut, bytes.Length)..] })
            {
                held = [.. held, .. piece];
                held = held[analyzer.Consume(side, held, default)..];
            }
            Assert.Empty(held);
        }
        Assert.Null(analyzer.Violation);
        return analyzer.Describe();
    }

    [Fact]
    public void HellosGiveVersionCipherSniAndAlpnSplitAtEveryByte()
    {
        byte[] client = ClientHello("xmpp.example.test"), server = ServerHello();
        for (int cut = 0; cut <= Math.Max(client.Length, server.Length); cut++)
        {
            var tls = Run(client, server, cut);
            Assert.Equal("TLS 1.3", tls["version"]);
            Assert.Equal("TLS_AES_256_GCM_SHA384", tls["cipher"]);
            Assert.Equal("xmpp.example.test", tls["sni"]);
            Assert.Equal("h2,http/1.1", tls["offered_alpn"]);
            Assert.Equal("TLS 1.3,TLS 1.2", tls["offered_versions"]); // GREASE left out
            Assert.Equal(100L, tls["encrypted_bytes_s2c"]);
        }
    }

    [Fact]
    public void ProbeSaysYesOnlyForAHelloRecord()
    {
        byte[] hello = ClientHello("a.test");
        Assert.Equal(ProbeResult.Yes, TlsProtocol.Probe(hello, default));
        Assert.Equal(ProbeResult.NeedMore, TlsProtocol.Probe(hello.AsSpan(0, 3), default));
        Assert.Equal(ProbeResult.No, TlsProtocol.Probe("GET / HTTP/1.1\r\n"u8, default));
        Assert.Equal(ProbeResult.No, TlsProtocol.Probe("<stream:stream"u8, default));
        Assert.Equal(ProbeResult.Yes, TlsProtocol.Probe(default, ServerHello()));
        Assert.Equal(ProbeResult.NeedMore, TlsProtocol.Probe(default, default));
    }

    [Fact]
    public void GarbageFirstRecordIsAViolation()
    {
        var analyzer = new TlsAnalyzer();
        byte[] garbage = "\x16\x09\x09hello there"u8.ToArray();
        Assert.Equal(garbage.Length, analyzer.Consume(FlowSide.Client, garbage, default));
        Assert.NotNull(analyzer.Violation);
    }

    [Fact]
    public void MalformedHellosNeverThrow()
    {
        byte[] hello = ClientHello("fuzz.test");
        var random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            byte[] damaged = hello.ToArray();
            damaged[5 + random.Next(damaged.Length - 5)] = (byte)random.Next(256);
            var analyzer = new TlsAnalyzer();
            analyzer.Consume(FlowSide.Client, damaged, default);
            analyzer.Describe();
        }
    }
}
