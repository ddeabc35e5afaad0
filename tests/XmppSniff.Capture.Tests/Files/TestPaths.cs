namespace XmppSniff.Capture.Tests.Files;

/// <summary>Where the shared sample captures live, found from the repository root, never from the working directory.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Public real-world captures, copied unmodified into captures/real (credited in captures/README.md).</summary>
    public static string SharedReal => Existing(Path.Combine(RepoRoot, "captures", "real"));

    /// <summary>nDPI's test captures, fuzzed files included, copied into tests/ndpi-suite.</summary>
    public static string NdpiSuite => Existing(Path.Combine(RepoRoot, "tests", "ndpi-suite", "pcap"));

    public static string Real(string name) => Path.Combine(SharedReal, name);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XmppSniff.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"XmppSniff.sln not found above {AppContext.BaseDirectory}");
    }

    // A missing folder must fail the tests, not make them pass over nothing.
    private static string Existing(string path) =>
        Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"sample captures not found at {path}");
}
