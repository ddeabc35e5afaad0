using XmppSniff.Capture;
using XmppSniff.Capture.Files;

namespace XmppSniff.Running;

/// <summary>
/// `capture -w FILE`: every captured frame written to a pcapng file by our own writer while the
/// engine analyses it. Flushed whenever the wire is quiet, so the file can be read during capture.
/// </summary>
internal sealed class PcapNgCopy : IFrameTap, IDisposable
{
    private readonly FileStream _file;
    private readonly BufferedStream _buffer;
    private readonly PcapNgWriter _writer;
    private readonly int _snapLength;

    private PcapNgCopy(string path, FileStream file, int snapLength, string comment)
    {
        Path = path;
        _file = file;
        _buffer = new BufferedStream(file, 1 << 20);
        _writer = new PcapNgWriter(_buffer, comment);
        _snapLength = snapLength;
    }

    public string Path { get; }

    /// <exception cref="CaptureFileException">The file cannot be created.</exception>
    public static PcapNgCopy Create(string path, int snapLength, string comment)
    {
        try
        {
            return new PcapNgCopy(path, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), snapLength, comment);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureFileException(path, "cannot be written (" + e.Message.Split('\n')[0].Trim() + ")");
        }
    }

    public void Frame(in RawFrame frame) =>
        _writer.Write(frame.LinkType, frame.Time, frame.Data, frame.OriginalLength, _snapLength);

    public void Idle() => _buffer.Flush();

    public void Dispose()
    {
        _buffer.Dispose();
        _file.Dispose();
    }
}
