using System.Diagnostics;

namespace XmppSniff.Tests;

/// <summary>Runs the built xmppsniff as a user would: a separate process, its stdout, stderr and exit code.</summary>
internal static class Cli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "xmppsniff.dll");

    /// <summary>A native (Native AOT) build to run instead of the dll, to check it behaves the same.</summary>
    private static readonly string? Native = Environment.GetEnvironmentVariable("XMPPSNIFF_NATIVE");

    /// <summary>The program and leading arguments that run xmppsniff, for tests that start it their own way.</summary>
    public static string[] Invocation => Native is null ? ["dotnet", Dll] : [Native];

    public static Result Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs xmppsniff with <paramref name="stdin"/> written to its standard input, a pipe (null: not redirected).</summary>
    public static Result RunWithInput(byte[]? stdin, params string[] args)
    {
        using Process process = Start(stdin is not null, args);
        if (stdin is not null)
        {
            // On a task of its own: a large input fills the pipe before the process reads it.
            _ = Task.Run(() =>
            {
                using Stream input = process.StandardInput.BaseStream;
                input.Write(stdin);
            });
        }
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"xmppsniff {string.Join(' ', args)} did not finish");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts xmppsniff with its output (and, if <paramref name="input"/>, its standard input) redirected.</summary>
    public static Process Start(bool input, params string[] args)
    {
        var start = new ProcessStartInfo(Native ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input };
        if (Native is null) start.ArgumentList.Add(Dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
