using System.Text;
using Microsoft.Win32.SafeHandles;

namespace XmppSniff.Output;

internal static class StandardOutput
{
    /// <summary>
    /// A buffered UTF-8 writer over stdout: Console.Out flushes on every line, which is slow for big outputs.
    /// Into a pipe it writes through a plain file stream, whose writes fail once the reader has gone
    /// (`| head`), so the run stops there; the console stream would drop the bytes and read on to the end.
    /// </summary>
    public static StreamWriter Open() =>
        new(Stdout(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false, NewLine = "\n" };

    private static Stream Stdout()
    {
        if (!Console.IsOutputRedirected || OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
        var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        // A file keeps the console stream: this one would write at its own offsets, over what stderr adds to the same file.
        if (!stream.CanSeek) return stream;
        stream.Dispose();
        return Console.OpenStandardOutput();
    }
}
