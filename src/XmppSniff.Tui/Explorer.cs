using System.Diagnostics;
using Terminal.Gui.App;
using XmppSniff.Tui.Model;
using XmppSniff.Tui.Views;

namespace XmppSniff.Tui;

/// <summary>
/// The terminal UI's one entry point. Fill a <see cref="CaptureModel"/> from any thread (a file
/// being read, a live capture, a test) and call <see cref="Run"/>: the UI shows what the model holds
/// and keeps up with it on a timer until the user quits.
/// </summary>
public static class Explorer
{
    /// <summary>
    /// What Terminal.Gui's module initializer does, which a native build empties (see the CLI's
    /// ILLink.Substitutions.xml) so that commands without a UI do not pay for it at start.
    /// </summary>
    private static void ApplyConfiguration()
    {
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported) return; // not native: it ran already
        try
        {
            Terminal.Gui.Configuration.TuiConfigurationBuilder.Shared.ApplyToStaticFacades();
        }
        catch (Exception)
        {
            // As the initializer: bad configuration leaves the defaults (Terminal.Gui reports it at shutdown).
        }
    }

    public static void Run(CaptureModel model, ExplorerOptions? options = null)
    {
        options ??= new ExplorerOptions();
        var clock = Stopwatch.StartNew();
        ApplyConfiguration();
        using IApplication app = Application.Create();
        app.Init();
        // Every colour we use is one of the 16 ANSI colours: sending them as such lets the terminal's own
        // palette (and 16-colour terminals) show them as the user expects.
        if (app.Driver is { } driver) driver.Force16Colors = true;
        using var window = new ExplorerWindow(model, options);
        bool firstDrawn = false, loadedNoted = false;
        if (options.TraceFile is { } trace)
        {
            bool anyDrawn = false;
            app.LayoutAndDrawComplete += (_, _) =>
            {
                if (!anyDrawn)
                {
                    anyDrawn = true;
                    File.AppendAllText(trace, $"first-screen {clock.Elapsed.TotalSeconds:0.000}s frames={model.Frames.Count} flows={model.Flows.Count}\n");
                }
                if (!firstDrawn && model.Flows.Count > 0)
                {
                    firstDrawn = true;
                    File.AppendAllText(trace, $"first-screen-with-rows {clock.Elapsed.TotalSeconds:0.000}s frames={model.Frames.Count} flows={model.Flows.Count}\n");
                }
            };
        }
        app.AddTimeout(options.RefreshInterval, () =>
        {
            window.Refresh();
            if (options.TraceFile is { } path && model.Done && !loadedNoted)
            {
                loadedNoted = true;
                File.AppendAllText(path, $"loaded {clock.Elapsed.TotalSeconds:0.000}s frames={model.Frames.Count} flows={model.Flows.Count} rss={Environment.WorkingSet / (1 << 20)}MB\n");
            }
            return true;
        });
        app.Run(window);
    }
}
