using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Tls;

/// <summary>
/// The RFC 8448 trace through the TLS analyzer with its secrets as a key log: the handshake
/// records open under the handshake secrets, Finished switches each side to its application
/// secret, and the application data comes out. Split at every byte, a wrong key, a missing key,
/// a damaged and a truncated record.
/// </summary>
public class Rfc8448DecryptionTests
{
    /// <summary>Keeps what decryption yields, per side, and every reason given.</summary>
    private sealed class Recorder : ITlsPlaintextReader
    {
        public readonly List<byte> Client = [];
        public readonly List<byte> Server = [];
        public readonly List<string> Reasons = [];

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at) => (from == FlowSide.Client ? Client : Server).AddRange(data);

        public void OnGap(FlowSide from, long length) => Reasons.Add($"gap {from}");

        public void OnUndecryptable(FlowSide from, string reason, StreamPosition at) => Reasons.Add(reason);

        public void End(FlowRecord record)
        {
        }

        public (string App, IReadOnlyDictionary<string, object?> Details)? Describe() => null;
    }

    private static TlsKeyLog Keys(string text)
    {
        var log = new TlsKeyLog();
        log.Add(text);
        return log;
    }

    /// <summary>Feeds the exchange, each chunk cut at <paramref name="cut"/> (or byte by byte), holding what is not consumed as the host does.</summary>
    private static (Recorder Reader, IReadOnlyDictionary<string, object?> Details) Run(TlsKeyLog keys, (FlowSide Side, byte[] Bytes)[] exchange, int cut = int.MaxValue, bool byteByByte = false)
    {
        var reader = new Recorder();
        var analyzer = new TlsAnalyzer(keys, () => reader);
        byte[] heldClient = [], heldServer = [];
        foreach ((FlowSide side, byte[] bytes) in exchange)
        {
            ref byte[] held = ref side == FlowSide.Client ? ref heldClient : ref heldServer;
            IEnumerable<byte[]> pieces = byteByByte
                ? bytes.Select(b => new[] { b })
                : [bytes[..Math.Min(cut, bytes.Length)], bytes[Math.Min(cut, bytes.Length)..]];
            foreach (byte[] piece in pieces)
            {
                held = [.. held, .. piece];
                held = held[analyzer.Consume(side, held, new StreamPosition(1, 1))..];
            }
        }
        Assert.Null(analyzer.Violation);
        IReadOnlyDictionary<string, object?> details = analyzer.Describe();
        analyzer.End(new FlowRecord
        {
            Id = 1, Protocol = IpProtocol.Tcp, Client = default, Server = default, Start = 0, End = 0, State = "SF", History = "", Kind = FlowKind.Long, Close = CloseKind.Fin,
        });
        return (reader, details);
    }

    [Fact]
    public void TheApplicationDataOfBothSidesComesOut()
    {
        (Recorder reader, IReadOnlyDictionary<string, object?> details) = Run(Keys(Rfc8448Trace.KeyLog), Rfc8448Trace.Exchange);
        Assert.Equal(Rfc8448Trace.ApplicationData, reader.Client);
        Assert.Equal(Rfc8448Trace.ApplicationData, reader.Server);
        Assert.Empty(reader.Reasons);
        Assert.Equal(true, details["decrypted"]);
        Assert.Null(details["decrypt_reason"]);
        Assert.Equal("TLS 1.3", details["version"]);
        Assert.Equal("TLS_AES_128_GCM_SHA256", details["cipher"]);
        Assert.Equal("CN=rsa", details["certificate_subject"]); // from the Certificate inside the encrypted handshake
        Assert.Equal(50L, details["decrypted_bytes_c2s"]);
        Assert.Equal(50L, details["decrypted_bytes_s2c"]);
    }

    [Fact]
    public void EveryCutGivesTheSameResult()
    {
        int longest = Rfc8448Trace.Exchange.Max(e => e.Bytes.Length);
        for (int cut = 0; cut <= longest; cut++)
        {
            (Recorder reader, _) = Run(Keys(Rfc8448Trace.KeyLog), Rfc8448Trace.Exchange, cut);
            Assert.True(Rfc8448Trace.ApplicationData.SequenceEqual(reader.Client), $"client, cut at {cut}");
            Assert.True(Rfc8448Trace.ApplicationData.SequenceEqual(reader.Server), $"server, cut at {cut}");
        }
        (Recorder single, _) = Run(Keys(Rfc8448Trace.KeyLog), Rfc8448Trace.Exchange, byteByByte: true);
        Assert.Equal(Rfc8448Trace.ApplicationData, single.Server);
    }

    [Fact]
    public void AllRecordsOfADirectionInOneOfferComeOutInOrder()
    {
        var exchange = Rfc8448Trace.Exchange;
        // The server's handshake, ticket and data back to back, after the client's whole side.
        (FlowSide, byte[])[] merged =
        [
            exchange[0],
            (FlowSide.Server, [.. exchange[1].Bytes]),
            (FlowSide.Client, [.. exchange[2].Bytes, .. exchange[4].Bytes]),
            (FlowSide.Server, [.. exchange[3].Bytes, .. exchange[5].Bytes]),
        ];
        (Recorder reader, _) = Run(Keys(Rfc8448Trace.KeyLog), merged);
        Assert.Equal(Rfc8448Trace.ApplicationData, reader.Client);
        Assert.Equal(Rfc8448Trace.ApplicationData, reader.Server);
    }

    [Fact]
    public void AWrongKeyShowsNothingOfThatSideAndSaysWhyOnce()
    {
        string wrong = Rfc8448Trace.KeyLog.Replace(Rfc8448Trace.ServerHandshakeSecret, Rfc8448Trace.ServerHandshakeSecret[..^1] + "9");
        (Recorder reader, IReadOnlyDictionary<string, object?> details) = Run(Keys(wrong), Rfc8448Trace.Exchange);
        Assert.Empty(reader.Server);
        Assert.Equal(Rfc8448Trace.ApplicationData, reader.Client); // the client's keys were right
        Assert.Equal(false, details["decrypted"]);
        string reason = Assert.Single(reader.Reasons);
        Assert.Contains("failed authentication", reason);
        Assert.Equal(reason, details["decrypt_reason"]);
    }

    [Fact]
    public void AMissingKeySaysWhichLineIsMissing()
    {
        string other = Rfc8448Trace.KeyLog.Replace(Rfc8448Trace.ClientRandom, new string('0', 64));
        (Recorder reader, IReadOnlyDictionary<string, object?> details) = Run(Keys(other), Rfc8448Trace.Exchange);
        Assert.Empty(reader.Client);
        Assert.Empty(reader.Server);
        Assert.Equal(false, details["decrypted"]);
        Assert.Equal("no SERVER_HANDSHAKE_TRAFFIC_SECRET line in the key log for this connection's client random", Assert.Single(reader.Reasons));
    }

    [Fact]
    public void ADamagedRecordIsNotShownAndStopsThatDirection()
    {
        var exchange = Rfc8448Trace.Exchange;
        byte[] damaged = [.. exchange[4].Bytes];
        damaged[20] ^= 1;
        exchange[4] = (FlowSide.Client, damaged);
        (Recorder reader, IReadOnlyDictionary<string, object?> details) = Run(Keys(Rfc8448Trace.KeyLog), exchange);
        Assert.Empty(reader.Client);
        Assert.Equal(Rfc8448Trace.ApplicationData, reader.Server);
        Assert.Equal(false, details["decrypted"]);
        Assert.Contains("record 0 of the client's keys failed authentication", (string)details["decrypt_reason"]!);
    }

    [Fact]
    public void ATruncatedRecordIsHeldAndNeverShown()
    {
        var exchange = Rfc8448Trace.Exchange;
        exchange[5] = (FlowSide.Server, exchange[5].Bytes[..^1]);
        (Recorder reader, IReadOnlyDictionary<string, object?> details) = Run(Keys(Rfc8448Trace.KeyLog), exchange);
        Assert.Empty(reader.Server);
        Assert.Equal(Rfc8448Trace.ApplicationData, reader.Client);
        Assert.Empty(reader.Reasons);
        Assert.Equal(true, details["decrypted"]); // what was complete was decrypted
        Assert.Equal(0L, details["decrypted_bytes_s2c"]);
    }

    [Fact]
    public void AGapStopsDecryptingThatDirectionAndSaysSo()
    {
        var reader = new Recorder();
        var analyzer = new TlsAnalyzer(Keys(Rfc8448Trace.KeyLog), () => reader);
        var exchange = Rfc8448Trace.Exchange;
        foreach ((FlowSide side, byte[] bytes) in exchange[..4]) Assert.Equal(bytes.Length, analyzer.Consume(side, bytes, default));
        analyzer.Gap(FlowSide.Server, 100);
        analyzer.Consume(FlowSide.Server, exchange[5].Bytes, default);
        analyzer.Consume(FlowSide.Client, exchange[4].Bytes, default);
        Assert.Empty(reader.Server);
        Assert.Equal(Rfc8448Trace.ApplicationData, reader.Client);
        Assert.Contains(reader.Reasons, r => r.Contains("100 bytes of the server's stream were not captured"));
    }

    [Fact]
    public void WithoutAKeyLogNothingIsSaidAboutDecryption()
    {
        var analyzer = new TlsAnalyzer();
        foreach ((FlowSide side, byte[] bytes) in Rfc8448Trace.Exchange) analyzer.Consume(side, bytes, default);
        Assert.False(analyzer.Describe().ContainsKey("decrypted"));
        Assert.Equal("TLS 1.3", analyzer.Describe()["version"]);
    }
}
