using System.IO.Compression;

namespace XmppSniff.Tests.Shared;

/// <summary>Bytes gzip-compressed in memory, as `gzip capture.pcap` would write them.</summary>
internal static class Gzip
{
    public static byte[] Compress(byte[] bytes)
    {
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(bytes);
        return compressed.ToArray();
    }
}
