using XmppSniff.Capture.Files;
using XmppSniff.Capture.Live;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>Runs a command body and turns the failures a user can cause into one line and an exit code.</summary>
internal static class CommandRunner
{
    public const int Ok = 0;
    public const int Usage = 1;
    public const int Unreadable = 2;

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is CaptureFileException or LiveCaptureException or KeyLogException)
        {
            Console.Error.WriteLine($"xmppsniff: {e.Message}");
            return Unreadable;
        }
        catch (IOException e) when (IsBrokenPipe(e))
        {
            return Ok; // the reader of our output went away (e.g. `| head`): not an error
        }
    }

    /// <summary>Reports what the reader could not read; the results before the damage stand.</summary>
    public static void ReportWarnings(CaptureRun run)
    {
        if (run.Reader is not { } reader) return;
        foreach (string warning in reader.Warnings)
            Console.Error.WriteLine($"xmppsniff: warning: {reader.Path}: {warning}");
    }

    /// <summary>EPIPE (32 on Linux and macOS) from a write to stdout, or a stdout that can no longer take a flush.</summary>
    internal static bool IsBrokenPipe(IOException e)
    {
        const int BrokenPipe = 32;
        if (e.HResult == BrokenPipe) return true;
        try
        {
            Console.Out.Flush();
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
