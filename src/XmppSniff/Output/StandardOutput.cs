using System.Text;

namespace XmppSniff.Output;

internal static class StandardOutput
{
    /// <summary>A buffered UTF-8 writer over stdout: Console.Out flushes on every line, which is slow for big outputs.</summary>
    public static StreamWriter Open() =>
        new(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false, NewLine = "\n" };
}
