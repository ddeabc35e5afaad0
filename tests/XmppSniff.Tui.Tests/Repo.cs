namespace XmppSniff.Tui.Tests;

/// <summary>Paths inside the repository, found from the test binary by walking up to XmppSniff.sln.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string Capture(string name) => Path.Combine(Root, "captures", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XmppSniff.sln"))) return dir.FullName;
        throw new InvalidOperationException("XmppSniff.sln not found above " + AppContext.BaseDirectory);
    }
}
