using System.Buffers.Binary;
using System.IO.Compression;

namespace XmppSniff.Capture.Files;

/// <summary>Opens a capture file, choosing the reader by magic number: extensions lie.</summary>
public static class CaptureFile
{
    private const uint PcapMicroseconds = 0xA1B2C3D4;
    private const uint PcapNanoseconds = 0xA1B23C4D;

    /// <summary>The path that means standard input, as for tcpdump and tshark (`-r -`).</summary>
    public const string StandardInput = "-";

    /// <summary>
    /// gzip captures decompressed in this process, by full path, length and write time: `open` reads its file three
    /// times (the check before the screen, the frame reader, the analysis) and so decompresses it once. Linux only,
    /// where the unnamed file holding one can be opened again through /proc/self/fd. Kept until the process ends.
    /// </summary>
    private static readonly Dictionary<(string Path, long Length, DateTime Written), (FileStream File, string? Damage)> Decompressed = [];

    /// <summary>How many gzip captures were decompressed in this process (each a whole read of the file).</summary>
    internal static int Decompressions;

    /// <summary>How messages name <paramref name="path"/>: as given, or "stdin".</summary>
    public static string NameOf(string path) => path == StandardInput ? "stdin" : path;

    /// <summary>
    /// Maps <paramref name="path"/> and returns its reader. Throws <see cref="CaptureFileException"/>
    /// when the file is missing, unreadable, empty, not a capture, or its header is cut short.
    /// Standard input (<see cref="StandardInput"/>) and other pipes are read to their end into a
    /// temporary file first, which is mapped and goes away with the reader; so is a gzip-compressed file, decompressed
    /// (kept for the process's next reader of it, see <see cref="Decompressed"/>).
    /// </summary>
    public static ICaptureReader Open(string path)
    {
        bool standardInput = path == StandardInput;
        string name = NameOf(path);
        if (standardInput && !Console.IsInputRedirected)
            throw new CaptureFileException(name, "is a terminal, not a capture; pipe one in (tcpdump -w - | xmppsniff ...)");
        if (!standardInput && Directory.Exists(path)) throw new CaptureFileException(name, "is a directory, not a capture file");
        FileStream stream;
        string? damage = null;
        bool gzip;
        try
        {
            stream = standardInput
                ? Spool(Console.OpenStandardInput())
                // FileShare.ReadWrite: a capture still being written by tcpdump can be read so far.
                : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // A pipe (`<(zcat capture.pcap.gz)`, a FIFO) cannot be mapped: read it into a file that can.
            bool pipe = standardInput || !stream.CanSeek;
            if (!stream.CanSeek) stream = Spool(stream);
            // A gzip-compressed capture (capture.pcap.gz, as tshark reads them): read it decompressed.
            gzip = IsGzip(stream);
            if (gzip) stream = Decompress(pipe ? null : path, stream, out damage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CaptureFileException(name, Describe(e));
        }

        MappedFile file;
        try
        {
            if (stream.Length == 0)
            {
                // Mapping an empty file fails anyway, and there is nothing in it to read.
                throw new CaptureFileException(name, "empty file");
            }

            file = MappedFile.Open(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new CaptureFileException(name, Describe(e));
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        try
        {
            CaptureReaderBase reader = OpenMapped(name, file);
            if (damage is not null) reader.Warn(damage);
            if (gzip) reader.Compression = "gzip";
            return reader;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="compressed"/> (closed here) decompressed into a temporary file, or a new stream over the one
    /// made for the same file before (see <see cref="Decompressed"/>); <paramref name="damage"/> as for <see cref="Spool(Stream, out string?)"/>.
    /// </summary>
    /// <param name="path">The file it was read from; null for a pipe, which cannot be read again anyway.</param>
    private static FileStream Decompress(string? path, FileStream compressed, out string? damage)
    {
        if (path is null || !OperatingSystem.IsLinux()) return Inflate(compressed, out damage);
        var key = (System.IO.Path.GetFullPath(path), compressed.Length, File.GetLastWriteTimeUtc(path));
        lock (Decompressed)
        {
            if (Decompressed.TryGetValue(key, out var kept) && Reopen(kept.File) is { } again)
            {
                compressed.Dispose();
                damage = kept.Damage;
                return again;
            }
            FileStream file = Inflate(compressed, out damage);
            if (Reopen(file) is not { } reader) return file; // no /proc here: this reader has it to itself
            Decompressed[key] = (file, damage);
            return reader;
        }
    }

    /// <summary><paramref name="compressed"/> decompressed into a temporary file (see <see cref="Spool(Stream, out string?)"/>), and counted.</summary>
    private static FileStream Inflate(FileStream compressed, out string? damage)
    {
        Interlocked.Increment(ref Decompressions);
        return Spool(new GZipStream(compressed, CompressionMode.Decompress), out damage);
    }

    /// <summary>A stream of its own over <paramref name="file"/>'s file, even unnamed; null where that cannot be done.</summary>
    private static FileStream? Reopen(FileStream file)
    {
        try
        {
            return new FileStream($"/proc/self/fd/{file.SafeFileHandle.DangerousGetHandle()}", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Copies <paramref name="input"/> to its end into a new temporary file, positioned at its start, and closes
    /// <paramref name="input"/>. The file has no name from the start where the system allows (so an interrupted
    /// run leaves nothing behind), else it is deleted when closed.
    /// </summary>
    private static FileStream Spool(Stream input) => Spool(input, out _);

    /// <param name="damage">Why decompressing stopped early, if it did: what came before is kept.</param>
    private static FileStream Spool(Stream input, out string? damage)
    {
        damage = null;
        using (input)
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"xmppsniff-{Guid.NewGuid():N}.pcap");
            var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
            try
            {
                if (!OperatingSystem.IsWindows()) File.Delete(path);
                try
                {
                    // What does not start as a capture (or gzip data) is kept to its first bytes, which say what it is:
                    // `cat /dev/urandom | xmppsniff flows -` ends at once instead of filling the disk.
                    Span<byte> head = stackalloc byte[4];
                    int got = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                    spool.Write(head[..got]);
                    if (got < head.Length || IsCaptureOrGzip(head)) input.CopyTo(spool, 1 << 20);
                }
                catch (InvalidDataException)
                {
                    damage = $"gzip data is damaged after {spool.Length} decompressed bytes; read up to there";
                }
                spool.Position = 0;
                return spool;
            }
            catch
            {
                spool.Dispose();
                throw;
            }
        }
    }

    private static CaptureReaderBase OpenMapped(string path, MappedFile file)
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
            _ => throw new CaptureFileException(path, $"not a pcap or pcapng file (magic 0x{BinaryPrimitives.ReverseEndianness(magic):x8}){CompressionHint(magic)}"),
        };
    }

    /// <summary>For a file compressed another way than gzip (its first four bytes, little-endian): how to read it anyway.</summary>
    private static string CompressionHint(uint magic)
    {
        string? tool = magic switch
        {
            0xFD2FB528 => "zstd",
            0x587A37FD => "xz",
            0x184D2204 => "lz4",
            _ when (magic & 0xFFFFFF) == 0x685A42 => "bzip2", // "BZh" and a block size
            _ => null,
        };
        return tool is null ? "" : $"; it is {tool}-compressed: {tool} -dc FILE | xmppsniff ... -";
    }

    private static bool IsCaptureOrGzip(ReadOnlySpan<byte> head)
    {
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
        return magic is PcapMicroseconds or PcapNanoseconds or PcapNgReader.SectionHeaderType
            || BinaryPrimitives.ReverseEndianness(magic) is PcapMicroseconds or PcapNanoseconds
            || IsGzip(head);
    }

    private static bool IsGzip(ReadOnlySpan<byte> head) => head is [0x1F, 0x8B, ..];

    private static bool IsGzip(FileStream stream)
    {
        Span<byte> head = stackalloc byte[2];
        head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        stream.Position = 0;
        return IsGzip(head);
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException => "not readable (access denied)",
        _ => "not readable (" + e.Message.Split('\n')[0].Trim() + ")",
    };
}
