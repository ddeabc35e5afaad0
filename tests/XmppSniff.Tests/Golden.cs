namespace XmppSniff.Tests;

/// <summary>
/// Golden files: a command's stdout, then its exit code and stderr (paths made relative), compared
/// with tests/XmppSniff.Tests/Golden/. XMPPSNIFF_UPDATE_GOLDEN=1 rewrites them instead.
/// </summary>
internal static class Golden
{
    /// <summary>Every capture under captures/ whose file name passes <paramref name="filter"/>, relative to the repository.</summary>
    public static TheoryData<string> Captures(Func<string, bool>? filter = null)
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Repo.Captures, "*", SearchOption.AllDirectories)
                     .Where(f => (f.EndsWith(".pcap") || f.EndsWith(".pcapng")) && (filter?.Invoke(Path.GetFileName(f)) ?? true))
                     .Order(StringComparer.Ordinal))
            data.Add(Repo.Relative(file));
        return data;
    }

    /// <summary>Runs `xmppsniff COMMAND CAPTURE --format jsonl` and compares with CAPTURE-NAME.COMMAND.jsonl.</summary>
    public static void Check(string command, string capture) => Check(command, capture, "");

    /// <summary>
    /// Runs `xmppsniff COMMAND CAPTURE --format jsonl ARGS...` and compares with
    /// CAPTURE-NAME.COMMAND-VARIANT.jsonl (paths in ARGS are relative to the repository).
    /// </summary>
    public static void Check(string command, string capture, string variant, params string[] args)
    {
        Cli.Result result = Cli.Run([command, Path.Combine(Repo.Root, capture), "--format", "jsonl", .. args.Select(a => a.StartsWith("captures/") ? Path.Combine(Repo.Root, a) : a)]);
        string actual = result.Stdout
            + $"# exit {result.ExitCode}\n"
            + result.Stderr.Replace(Repo.Root + Path.DirectorySeparatorChar, "");
        string name = variant.Length == 0 ? command : $"{command}-{variant}";
        string golden = Path.Combine(Repo.Golden, $"{Path.GetFileName(capture)}.{name}.jsonl");

        if (Environment.GetEnvironmentVariable("XMPPSNIFF_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, actual);
            return;
        }
        Assert.True(File.Exists(golden), $"no baseline {Repo.Relative(golden)}; run with XMPPSNIFF_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(golden), actual);
        Assert.DoesNotContain("   at ", result.Stderr); // never a stack trace
    }
}
