using System.Buffers.Binary;

namespace XmppSniff.Capture.Tests.Decode;

/// <summary>
/// Test-only classic pcap reader, just enough to feed real captures to the decoder until the real reader lands.
/// </summary>
internal static class TestPcapReader
{
    public static IEnumerable<(long Number, long Time, LinkType LinkType, int OriginalLength, byte[] Data)> Read(string path)
    {
        var file = File.ReadAllBytes(path);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        bool swap = magic is 0xD4C3B2A1 or 0x4D3CB2A1; // written big-endian
        bool nanos = magic is 0xA1B23C4D or 0x4D3CB2A1;
        uint U32(int at) => swap ? BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
        var linkType = (LinkType)(U32(20) & 0xFFFF);
        long number = 0;
        for (int at = 24; at + 16 <= file.Length;)
        {
            int included = (int)U32(at + 8);
            if (included < 0 || at + 16 + included > file.Length)
                yield break;
            long time = U32(at) * 1_000_000_000L + U32(at + 4) * (nanos ? 1L : 1000L);
            yield return (++number, time, linkType, (int)U32(at + 12), file[(at + 16)..(at + 16 + included)]);
            at += 16 + included;
        }
    }

    public static string CapturesDirectory()
    {
        // The repository's captures/real once merged; the shared folder until then.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "captures", "real");
            if (Directory.Exists(candidate))
                return candidate;
        }
        return "/work/shared/captures/real";
    }
}
