using System.CommandLine;
using XmppSniff.Capture.Files;
using XmppSniff.Explore;
using XmppSniff.Tui;
using XmppSniff.Tui.Model;

namespace XmppSniff.Commands;

/// <summary>`xmppsniff open FILE`: the terminal UI over a capture file, usable while the file is still loading.</summary>
internal static class OpenCommand
{
    public static Command Create()
    {
        var file = CommonOptions.File();
        var secrets = new Option<bool>("--show-secrets") { Description = "Show SASL payloads, passwords and credentials instead of redacting them." };
        var command = new Command("open", "Explore a capture in a full-screen terminal UI: connections, lifecycles, stanzas, packets.") { file, secrets };
        CommonOptions.AddLimits(command);
        command.Options.Add(CommonOptions.KeyLog);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            string path = CommonOptions.CapturePath(result.GetValue(file)!);
            // Keys come from the terminal, and the packet view reads frames again: a pipe can be read only once.
            if (path == CaptureFile.StandardInput || !IsSeekable(path))
            {
                Console.Error.WriteLine($"xmppsniff: {CaptureFile.NameOf(path)}: open needs a capture file, not a pipe (save it first: tcpdump -w FILE, then xmppsniff open FILE)");
                return CommandRunner.Usage;
            }
            // A file that is not a capture fails here, with one line, before the screen is taken over.
            using (CaptureFile.Open(path)) { }

            var limits = CommonOptions.Limits(result);
            var keys = CommonOptions.KeyLogOf(result);
            using var source = new FileCaptureSource(path, limits, result.GetValue(secrets));
            var model = new CaptureModel(Path.GetFileName(path), source);
            bool quit = false;
            var loader = new Thread(() => ModelLoader.Load(model, path, limits, result.GetValue(secrets), keys, () => Volatile.Read(ref quit)))
            {
                IsBackground = true,
                Name = "capture loader",
            };
            loader.Start();
            Explorer.Run(model, new ExplorerOptions { TraceFile = Environment.GetEnvironmentVariable("XMPPSNIFF_TUI_TRACE") });
            Volatile.Write(ref quit, true);
            loader.Join(TimeSpan.FromSeconds(2));
            if (model.Error is { } error)
            {
                Console.Error.WriteLine($"xmppsniff: {error}");
                return CommandRunner.Unreadable;
            }
            return CommandRunner.Ok;
        }));
        return command;
    }

    /// <summary>A file that can be read more than once (not a pipe); a missing or unreadable one passes: opening it as a capture says why.</summary>
    private static bool IsSeekable(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return stream.CanSeek;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
