using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

/// <summary>Real files made by real software (see captures/real/SOURCES.md).</summary>
public class RealCaptureTests
{
    public static TheoryData<string> AllFiles()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(TestPaths.SharedReal, "*.pcap*").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Fact]
    public void The_real_corpus_is_there()
    {
        Assert.True(AllFiles().Count >= 40, $"expected the real captures in {TestPaths.SharedReal}");
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void Every_real_file_opens_or_is_refused_cleanly_and_reads_to_the_end(string name)
    {
        ICaptureReader reader;
        try
        {
            reader = CaptureFile.Open(TestPaths.Real(name));
        }
        catch (CaptureFileException)
        {
            return;
        }

        using (reader)
        {
            long previous = 0;
            while (reader.TryRead(out RawFrame frame))
            {
                Assert.Equal(previous + 1, frame.Number);
                Assert.True(frame.OriginalLength >= frame.Data.Length, $"frame {frame.Number}: original length below captured");
                Assert.InRange(frame.InterfaceId, 0, reader.Interfaces.Count - 1);
                Assert.Equal(reader.Interfaces[frame.InterfaceId].LinkType, frame.LinkType);
                previous = frame.Number;
            }

            Assert.InRange(reader.Position, 0, reader.Length);
            Assert.True(reader.Truncated || reader.Warnings.Count > 0 || reader.Position == reader.Length, "stopped early without saying why");
        }
    }

    // Frame counts checked with tshark 4.x (`tshark -r F -T fields -e frame.number | wc -l`).
    [Theory]
    [InlineData("http_5conns_rst_retrans.zeek.pcap", 158, false)]
    [InlineData("edge_empty_header-only_0-packets.zeek.pcap", 0, false)]
    [InlineData("http_header-split-across-segments.ndpi.pcapng", 115, false)]
    [InlineData("nanosec_http-get-to-ssh-server.zeek.pcap", 9, false)]
    // tshark lists 11 records here: the 8 packets plus 3 custom blocks it shows as "PCAPNG" frames
    // (frames 1, 7 and 10, lengths 24, 60, 32). Custom blocks are not packets; we skip them.
    [InlineData("pcapng_big-endian_multi-idb_truncated-packets.gopacket.pcapng", 8, false)]
    [InlineData("pcapng_little-endian_multi-idb_truncated-packets.gopacket.pcapng", 8, false)]
    [InlineData("pcapng_multi-interface_merged.zeek.pcapng", 6, false)]
    [InlineData("perf_10k_packets_mostly-icmp.sharppcap.pcap", 10000, false)]
    [InlineData("sll1_rtsp_pcapng-content-with-pcap-extension.ndpi.pcap", 568, false)]
    [InlineData("tcp_retrans_out-of-order_http_range-download.zeek.pcap", 1556, false)]
    [InlineData("trunc_snaplen1_header-only.zeek.pcap", 1, false)]
    [InlineData("xmpp_c2s_plaintext_sasl_iq_presence_multi-session.ndpi.pcapng", 376, false)]
    [InlineData("xmpp_midstream-ping_no-stream-header_sll1_kakaotalk.ndpi.pcap", 3203, false)]
    [InlineData("corrupt_fuzzed_big-endian_http.ndpi.pcap", 131, false)]
    [InlineData("corrupt_bogus-orig-len_single-record.ndpi.pcap", 1, false)]
    public void Frame_count_matches_tshark(string name, int expected, bool truncated)
    {
        using ICaptureReader reader = CaptureFile.Open(TestPaths.Real(name));

        int count = reader.ReadAll().Count;
        Assert.True(expected == count, $"{count} frames instead of {expected}; warnings: {string.Join(" | ", reader.Warnings)}");
        Assert.Equal(truncated, reader.Truncated);
    }

    // Times and interfaces as tshark 4.x prints them (-e frame.time_epoch -e frame.interface_id).
    [Theory]
    [InlineData("pcapng_multi-interface_merged.zeek.pcapng", 1, 1767663089_500330493L, 0, 96)] // if_tsresol 9
    [InlineData("pcapng_multi-interface_merged.zeek.pcapng", 3, 1767663437_111897000L, 1, 70)] // default µs
    [InlineData("pcapng_multi-interface_merged.zeek.pcapng", 6, 1767663437_140942000L, 1, 182)]
    [InlineData("corrupt_fuzzed_big-endian_http.ndpi.pcap", 131, 1031854568_982740000L, 0, 60)]
    [InlineData("nanosec_http-get-to-ssh-server.zeek.pcap", 9, 1770126426_041811000L, 0, 60)]
    [InlineData("xmpp_c2s_plaintext_sasl_iq_presence_multi-session.ndpi.pcapng", 376, 1655985963_406000000L, 0, 86)]
    public void Frame_time_and_interface_match_tshark(string name, int number, long time, int interfaceId, int length)
    {
        using ICaptureReader reader = CaptureFile.Open(TestPaths.Real(name));

        FrameCopy frame = reader.ReadAll()[number - 1];

        Assert.Equal(time, frame.Time);
        Assert.Equal(interfaceId, frame.InterfaceId);
        Assert.Equal(length, frame.OriginalLength);
        Assert.Equal(LinkType.Ethernet, frame.LinkType);
    }
}
