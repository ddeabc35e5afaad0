using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Capture.Files;
using XmppSniff.Running;
using XmppSniff.Tui.Model;

namespace XmppSniff.Explore;

/// <summary>Reads a capture file into a <see cref="CaptureModel"/>: the same engine as every command, with the model as its sink.</summary>
internal static class ModelLoader
{
    /// <summary>Reads the whole file on the calling thread (or until <paramref name="stop"/>), then marks the model done.</summary>
    public static void Load(CaptureModel model, string path, FlowLimits limits, bool showSecrets, TlsKeyLog? keys = null, Func<bool>? stop = null)
    {
        var feeder = new ModelFeeder(model);
        var output = new AnalyzerOutput(model.Add, showSecrets) { TlsKeys = keys };
        var run = new CaptureRun(path, limits) { Observer = feeder, ShowProgress = false, TlsKeys = keys };
        try
        {
            run.Run(new AnalysisListener(feeder, output: output), stop);
            if (run.Reader is { } reader)
                foreach (string warning in reader.Warnings) model.Warn($"{path}: {warning}");
        }
        catch (CaptureFileException e)
        {
            model.Error = e.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The UI keeps what was read; the engine's failure is shown, not thrown through the screen.
            model.Error = $"{path}: reading stopped: {e.GetType().Name}: {e.Message}";
        }
        finally
        {
            model.Done = true;
        }
    }
}
