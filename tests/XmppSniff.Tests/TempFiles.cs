namespace XmppSniff.Tests;

/// <summary>A folder of its own for the files a test class writes (captures, broken files), removed afterwards.</summary>
public abstract class TempFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppsniff-test-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected string PathFor(string name) => Path.Combine(_dir, name);

    protected string Write(string name, byte[] bytes)
    {
        string path = PathFor(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private protected string WriteCapture(string name, Action<CaptureBuilder> build)
    {
        string path = PathFor(name);
        using var file = File.Create(path);
        build(new CaptureBuilder(file));
        return path;
    }
}
