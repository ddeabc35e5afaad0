namespace XmppSniff.Capture.Files;

/// <summary>The file cannot be read as a capture at all; the message names the problem in one line.</summary>
public sealed class CaptureFileException(string path, string problem) : Exception($"{path}: {problem}")
{
    public string Path { get; } = path;

    public string Problem { get; } = problem;
}
