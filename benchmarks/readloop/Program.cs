// xmppsniff-readloop: the "bare read loop" baseline for benchmarks/run.sh.
//
// Memory-maps a classic pcap and walks its records, summing captured and original lengths.
// No decoding: this is the floor for any tool that has to look at every record header of the
// file (page faults + a span loop over the mapped bytes). Packet bytes between the headers are
// not read, but since records are far smaller than a page, every page of the file is touched.

using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace XmppSniff.ReadLoop;

internal static unsafe class Program
{
    private static int Main(string[] args)
    {
        if (args.Length != 1 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("usage: xmppsniff-readloop FILE.pcap");
            return 2;
        }
        string path = args[0];
        long length = new FileInfo(path).Length;
        if (length < 24)
        {
            Console.Error.WriteLine($"xmppsniff-readloop: {path}: too short for a pcap header");
            return 1;
        }

        var sw = Stopwatch.StartNew();
        using var mmf = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = mmf.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* basePtr = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
        try
        {
            byte* p = basePtr + view.PointerOffset;
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(p, 4));
            bool swap = magic is 0xD4C3B2A1 or 0x4D3CB2A1;
            if (!swap && magic is not (0xA1B2C3D4 or 0xA1B23C4D))
            {
                Console.Error.WriteLine($"xmppsniff-readloop: {path}: not a classic pcap file");
                return 1;
            }

            long pos = 24, packets = 0, capBytes = 0, origBytes = 0;
            while (pos + 16 <= length)
            {
                var hdr = new ReadOnlySpan<byte>(p + pos, 16);
                uint incl = BinaryPrimitives.ReadUInt32LittleEndian(hdr[8..]);
                uint orig = BinaryPrimitives.ReadUInt32LittleEndian(hdr[12..]);
                if (swap)
                {
                    incl = BinaryPrimitives.ReverseEndianness(incl);
                    orig = BinaryPrimitives.ReverseEndianness(orig);
                }
                if (pos + 16 + incl > length) break; // truncated last record
                packets++;
                capBytes += incl;
                origBytes += orig;
                pos += 16 + incl;
            }
            sw.Stop();
            Console.WriteLine($"{packets} packets, {capBytes} captured bytes, {origBytes} original bytes, {sw.Elapsed.TotalSeconds:F3} s");
            return 0;
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }
}
