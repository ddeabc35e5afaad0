using XmppSniff.Core;

namespace XmppSniff.Capture.Files;

/// <summary>
/// What both readers share: the mapping, the progress numbers and the bounded warning list.
/// </summary>
public abstract class CaptureReaderBase : ICaptureReader, IRereadableBytes
{
    /// <summary>A fuzzed file could otherwise produce one warning per block.</summary>
    private const int MaxWarnings = 100;

    private readonly List<string> _warnings = [];
    private readonly List<string> _comments = [];
    private protected readonly MappedFile File;

    private protected CaptureReaderBase(string path, MappedFile file)
    {
        Path = path;
        File = file;
    }

    public string Path { get; }

    /// <summary>The mapped file.</summary>
    public KeptBytes Kept => File.Kept;

    public IRereadableBytes? Rereadable => this;

    bool IRereadableBytes.TryLocate(ReadOnlySpan<byte> bytes, out long position) => File.TryLocate(bytes, out position);

    void IRereadableBytes.Read(long position, Span<byte> into)
    {
        try
        {
            File.Read(position, into);
        }
        catch (IOException e)
        {
            // The file changed under the run (cut short while it was read): one line, as for any unreadable capture.
            throw new CaptureFileException(CaptureFile.NameOf(Path), $"could not be read again at byte {position}: {e.Message}");
        }
    }

    public void ConsumedBefore(long position) => File.ConsumedBefore(position);

    public abstract CaptureFormat Format { get; }

    public string? Compression { get; internal set; }

    public abstract IReadOnlyList<CaptureInterface> Interfaces { get; }

    public IReadOnlyList<string> Comments => _comments;

    public IReadOnlyList<string> Warnings => _warnings;

    public bool Truncated { get; private protected set; }

    public long Position { get; private protected set; }

    public long Length => File.Length;

    public abstract bool TryRead(out RawFrame frame);

    /// <summary>Set at the end, at damage, and on dispose: TryRead then answers false without touching the mapping.</summary>
    private protected bool Finished { get; set; }

    internal void Warn(string warning)
    {
        if (_warnings.Count < MaxWarnings)
        {
            _warnings.Add(warning);
        }
        else if (_warnings.Count == MaxWarnings)
        {
            _warnings.Add("further warnings suppressed");
        }
    }

    private protected void AddComment(string comment) => _comments.Add(comment);

    public void Dispose()
    {
        Finished = true;
        File.Dispose();
        GC.SuppressFinalize(this);
    }
}
