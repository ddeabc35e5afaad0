using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

/// <summary>
/// Damage anywhere: the only exception allowed is CaptureFileException from Open, and reading
/// always ends. Seeds are fixed so a failure reproduces.
/// </summary>
public class DamagedInputTests
{
    private static byte[] SamplePcapNg() => new PcapNgBuilder()
        .Section(comment: "s")
        .Interface(1, tsresol: 9, name: "eth0")
        .Interface(101, tsresol: 0x80 | 20)
        .Enhanced(0, 1, [1, 2, 3, 4, 5], comment: "c")
        .Secrets(0x544C534B, [9, 9, 9])
        .Simple(3, [7, 7, 7])
        .Enhanced(1, 2, [6, 6])
        .Obsolete(0, 3, [5])
        .ToArray();

    private static byte[] SamplePcap()
    {
        var stream = new MemoryStream();
        var writer = new PcapWriter(stream, LinkType.Ethernet, 128);
        for (int i = 0; i < 6; i++)
        {
            writer.Write(i * 1000L, new byte[i * 7 + 1]);
        }

        return stream.ToArray();
    }

    public static TheoryData<string> Samples => new() { "pcap", "pcapng" };

    private static byte[] Sample(string kind) => kind == "pcap" ? SamplePcap() : SamplePcapNg();

    [Theory]
    [MemberData(nameof(Samples))]
    public void File_cut_at_every_length_never_throws_after_open(string kind)
    {
        byte[] whole = Sample(kind);
        int lastCount = -1;
        for (int cut = 1; cut <= whole.Length; cut++)
        {
            int? count = ReadTolerantly(whole[..cut]);
            if (count is int n)
            {
                // A longer prefix never yields fewer frames.
                Assert.True(n >= lastCount, $"cut at {cut}: {n} frames after {lastCount}");
                lastCount = n;
            }
        }

        Assert.Equal(kind == "pcap" ? 6 : 4, lastCount);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Random_byte_flips_never_throw_after_open(string kind)
    {
        byte[] whole = Sample(kind);
        var random = new Random(20240506);
        for (int round = 0; round < 1000; round++)
        {
            byte[] damaged = (byte[])whole.Clone();
            int flips = random.Next(1, 6);
            for (int i = 0; i < flips; i++)
            {
                // Mostly hit length-like bytes: they are the dangerous ones.
                damaged[random.Next(damaged.Length)] = random.Next(3) switch
                {
                    0 => 0xFF,
                    1 => 0x00,
                    _ => (byte)random.Next(256),
                };
            }

            ReadTolerantly(damaged);
        }
    }

    /// <summary>Frame count, or null when Open refused the file.</summary>
    private static int? ReadTolerantly(byte[] file)
    {
        using var temp = new TempCapture(file);
        ICaptureReader reader;
        try
        {
            reader = temp.Open();
        }
        catch (CaptureFileException)
        {
            return null;
        }

        using (reader)
        {
            int count = 0;
            while (reader.TryRead(out RawFrame frame))
            {
                Assert.True(++count <= file.Length / 12, "no progress");
                Assert.InRange(frame.InterfaceId, 0, reader.Interfaces.Count - 1);
            }

            Assert.InRange(reader.Position, 0, reader.Length);
            return count;
        }
    }
}
