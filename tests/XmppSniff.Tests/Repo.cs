namespace XmppSniff.Tests;

/// <summary>Paths inside the repository, found from the test binary by walking up to XmppSniff.sln.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string Captures => Path.Combine(Root, "captures");

    public static string Golden => Path.Combine(Root, "tests", "XmppSniff.Tests", "Golden");

    /// <summary>The path as the tests print it: relative to the repository, with forward slashes.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XmppSniff.sln"))) return dir.FullName;
        throw new InvalidOperationException("XmppSniff.sln not found above " + AppContext.BaseDirectory);
    }
}
