using System.Text;
using BenchmarkDotNet.Attributes;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Benchmarks;

/// <summary>
/// One operation = a client stream of 1,000 stanzas (messages with bodies, presences, iqs; 300 KB):
/// the bare tokenizer, and the analyzer that also builds, describes and emits every element.
/// </summary>
[MemoryDiagnoser]
public class XmppBenchmarks
{
    private static readonly Endpoint Client = new(Address.Parse("10.0.0.1"), 40000);
    private static readonly Endpoint Server = new(Address.Parse("10.0.0.2"), 5222);
    private readonly byte[] _stream = MakeStream();

    public static byte[] MakeStream()
    {
        var xml = new StringBuilder("<?xml version='1.0'?><stream:stream to='example.com' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
        for (int i = 0; i < 1000; i++)
        {
            xml.Append((i % 3) switch
            {
                0 => $"<message to='juliet@example.com/balcony' from='romeo@example.net/orchard' type='chat' id='m{i}'><body>Wherefore art thou, Romeo? &amp; message {i} with some more text to make it a typical chat line of a few hundred bytes long, like people write.</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>",
                1 => $"<presence from='romeo@example.net/orchard' id='p{i}'><show>away</show><status>at the ball</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://example.net' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>",
                _ => $"<iq type='get' id='i{i}' to='example.com'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
            });
        }
        return Encoding.UTF8.GetBytes(xml.ToString());
    }

    [Benchmark(Baseline = true)]
    public int Tokenize()
    {
        var tokenizer = new XmlTokenizer(_stream, new XmlTokenizerState());
        int tokens = 0;
        while (tokenizer.Read()) tokens++;
        return tokens;
    }

    [Benchmark]
    public int Analyze()
    {
        int elements = 0;
        var analyzer = new XmppAnalyzer(1, Client, Server, _ => elements++);
        analyzer.Consume(FlowSide.Client, _stream, new StreamPosition(0, 1));
        return elements;
    }
}
