using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace XmppSniff.Tests.Live;

/// <summary>
/// `xmppsniff capture` as a user runs it: started, awaited until it says it is capturing, then
/// stopped as Ctrl+C stops it (SIGINT), or left to stop by itself (-c, --duration).
/// </summary>
internal sealed partial class LiveCli : IDisposable
{
    private const int SigInt = 2;
    private const int SigTerm = 15;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _capturing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LiveCli(string[] args)
    {
        _process = Cli.Start(input: false, ["capture", .. args]);
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stderrDone.TrySetResult();
                return;
            }
            lock (_stderr) _stderr.AppendLine(e.Data);
            if (e.Data.Contains("capturing on")) _capturing.TrySetResult();
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts a capture and returns once it is capturing (its first stderr line).</summary>
    public static LiveCli Start(params string[] args)
    {
        var cli = new LiveCli(args);
        Task first = Task.WhenAny(cli._capturing.Task, cli._process.WaitForExitAsync()).GetAwaiter().GetResult();
        if (!cli._capturing.Task.IsCompleted)
            throw new InvalidOperationException("xmppsniff capture did not start: " + cli.Stderr);
        return cli;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Ctrl+C: SIGINT, or SIGTERM (the same clean stop) where this test process was started with SIGINT ignored.</summary>
    public Cli.Result Interrupt()
    {
        Assert.Equal(0, Kill(_process.Id, SigIntIgnored() ? SigTerm : SigInt));
        return Wait();
    }

    /// <summary>Waits for a capture that stops by itself (-c, --duration).</summary>
    public Cli.Result Wait()
    {
        if (!_process.WaitForExit(Patience))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException("xmppsniff capture did not stop: " + Stderr);
        }
        _stderrDone.Task.Wait(Patience);
        return new Cli.Result(_process.ExitCode, _stdout.GetAwaiter().GetResult(), Stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    /// <summary>A shell without job control starts background commands with SIGINT ignored, and children inherit that.</summary>
    private static bool SigIntIgnored()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
