using System.Buffers.Binary;

namespace XmppSniff.Capture.Files;

/// <summary>Opens a capture file, choosing the reader by magic number: extensions lie.</summary>
public static class CaptureFile
{
    private const uint PcapMicroseconds = 0xA1B2C3D4;
    private const uint PcapNanoseconds = 0xA1B23C4D;

    /// <summary>
    /// Maps <paramref name="path"/> and returns its reader. Throws <see cref="CaptureFileException"/>
    /// when the file is missing, unreadable, empty, not a capture, or its header is cut short.
    /// </summary>
    public static ICaptureReader Open(string path)
    {
        FileStream stream;
        try
        {
            // FileShare.ReadWrite: a capture still being written by tcpdump can be read so far.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CaptureFileException(path, Describe(e));
        }

        MappedFile file;
        try
        {
            if (stream.Length == 0)
            {
                // Mapping an empty file fails anyway, and there is nothing in it to read.
                throw new CaptureFileException(path, "empty file");
            }

            file = MappedFile.Open(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new CaptureFileException(path, Describe(e));
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        try
        {
            return OpenMapped(path, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static ICaptureReader OpenMapped(string path, MappedFile file)
    {
        if (file.Length < 4)
        {
            throw new CaptureFileException(path, $"file is too short to be a capture ({file.Length} bytes)");
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(file.Span(0, 4));
        return magic switch
        {
            PcapMicroseconds => PcapReader.Open(path, file, bigEndian: false, nanoseconds: false),
            PcapNanoseconds => PcapReader.Open(path, file, bigEndian: false, nanoseconds: true),
            _ when magic == BinaryPrimitives.ReverseEndianness(PcapMicroseconds) => PcapReader.Open(path, file, bigEndian: true, nanoseconds: false),
            _ when magic == BinaryPrimitives.ReverseEndianness(PcapNanoseconds) => PcapReader.Open(path, file, bigEndian: true, nanoseconds: true),
            PcapNgReader.SectionHeaderType => PcapNgReader.Open(path, file),
            _ => throw new CaptureFileException(path, $"not a pcap or pcapng file (magic 0x{BinaryPrimitives.ReverseEndianness(magic):x8})"),
        };
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "not readable (access denied)",
        _ => "not readable (" + e.Message.Split('\n')[0].Trim() + ")",
    };
}
