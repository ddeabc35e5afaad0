using System.IO.Compression;
using System.Text;
using XmppSniff.Analysis.Protocols.Xmpp;

namespace XmppSniff.Analysis.Tests.Xmpp;

public class ZlibInflaterTests
{
    /// <summary>zlib as an XEP-0138 peer writes it: one stream, a sync flush after every piece.</summary>
    internal static byte[] CompressToBytes(params string[] pieces)
    {
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
            foreach (string piece in pieces)
            {
                zlib.Write(Encoding.UTF8.GetBytes(piece));
                zlib.Flush();
            }
        return output.ToArray();
    }

    private static string InflateInPieces(byte[] compressed, IEnumerable<int> cuts)
    {
        using var inflater = new ZlibInflater();
        var text = new MemoryStream();
        int at = 0;
        foreach (int cut in cuts.Append(compressed.Length))
        {
            inflater.Inflate(compressed.AsSpan(at, cut - at), piece => text.Write(piece.Span));
            at = cut;
        }
        return Encoding.UTF8.GetString(text.ToArray());
    }

    [Fact]
    public void Every_split_of_the_compressed_bytes_gives_the_same_text()
    {
        string[] stanzas = ["<stream:stream to='example.com'>", "<message id='1'><body>hello</body></message>", "<presence/>"];
        byte[] compressed = CompressToBytes(stanzas);
        string whole = string.Concat(stanzas);
        for (int cut = 0; cut <= compressed.Length; cut++) Assert.Equal(whole, InflateInPieces(compressed, [cut]));
        Assert.Equal(whole, InflateInPieces(compressed, Enumerable.Range(1, compressed.Length - 1)));
    }

    [Fact]
    public void A_flushed_stanza_comes_out_before_the_next_one_is_sent()
    {
        byte[] first = CompressToBytes("<message id='1'/>");
        using var inflater = new ZlibInflater();
        var text = new StringBuilder();
        inflater.Inflate(first, piece => text.Append(Encoding.UTF8.GetString(piece.Span)));
        Assert.Equal("<message id='1'/>", text.ToString());
        Assert.Equal(first.Length, inflater.In);
        Assert.Equal(17, inflater.Out);
    }

    [Fact]
    public void Bytes_that_are_not_zlib_are_refused()
    {
        using var inflater = new ZlibInflater();
        Assert.Throws<InvalidDataException>(() => inflater.Inflate("<message/> not compressed"u8, _ => { }));
    }
}
