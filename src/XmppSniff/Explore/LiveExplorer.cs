using XmppSniff.Analysis.Protocols.Tls.Decryption;
using System.Globalization;
using XmppSniff.Analysis.Flows;
using XmppSniff.Capture.Live;
using XmppSniff.Commands;
using XmppSniff.Running;
using XmppSniff.Tui;

namespace XmppSniff.Explore;

/// <summary>`xmppsniff capture` on a terminal without --format: the terminal UI over a live capture until the user quits.</summary>
internal static class LiveExplorer
{
    public static int Run(LiveCapture live, string title, IFrameTap? copy, FlowLimits limits, bool showSecrets, int maxElement, TlsKeyLog? keys = null)
    {
        using var session = LiveSession.Start(live, title, copy, limits, showSecrets, maxElement, keys: keys);
        Explorer.Run(session.Model, new ExplorerOptions { TraceFile = Environment.GetEnvironmentVariable("XMPPSNIFF_TUI_TRACE") });
        session.Stop(TimeSpan.FromSeconds(3));
        LiveStatistics s = live.Statistics;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"xmppsniff: {live.Frames} packets captured, {s.Received} received by filter, {s.Dropped} dropped by kernel, {s.InterfaceDropped} dropped by interface"));
        if (session.Model.Error is { } error)
        {
            Console.Error.WriteLine($"xmppsniff: {error}");
            return CommandRunner.Unreadable;
        }
        return CommandRunner.Ok;
    }
}
