namespace XmppSniff.Tests;

/// <summary>
/// The team's shared corpus beside the repository (../shared): nDPI's regression suite. CI has it;
/// a fresh clone elsewhere may not, so tests over it are skipped there, saying why.
/// </summary>
internal static class Shared
{
    public static readonly string NdpiSuite = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "captures", "ndpi-suite"));

    public static void SkipUnlessPresent(string path) =>
        Skip.IfNot(Directory.Exists(path), $"{path} is not here (it sits beside the repository on the team's machines and in CI)");
}
