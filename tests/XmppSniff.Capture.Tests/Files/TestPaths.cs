namespace XmppSniff.Capture.Tests.Files;

/// <summary>Where the shared sample captures live, found from the repository root, never from the working directory.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Real captures; later copied into the repo's captures/real, for now next to the repo.</summary>
    public static string SharedReal => Existing(Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "captures", "real")));

    /// <summary>nDPI's test captures, fuzzed files included.</summary>
    public static string NdpiSuite => Existing(Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "captures", "ndpi-suite", "pcap")));

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
