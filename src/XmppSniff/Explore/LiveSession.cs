using XmppSniff.Analysis.Protocols.Tls.Decryption;
using System.Globalization;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Capture.Live;
using XmppSniff.Running;
using XmppSniff.Tui.Model;

namespace XmppSniff.Explore;

/// <summary>
/// A live capture filling a <see cref="CaptureModel"/> on a background thread, through the same
/// engine as every command: what `capture` without --format shows in the terminal UI. The model
/// is bounded (<see cref="ModelBounds"/>), so a capture left running holds bounded memory.
/// </summary>
internal sealed class LiveSession : ILiveSource, IDisposable
{
    private readonly LiveCapture _live;
    private readonly Thread _thread;
    private volatile bool _paused;

    public CaptureModel Model { get; }

    public CaptureRun Run { get; }

    public RecentFrames Recent { get; }

    private LiveSession(LiveCapture live, string title, IFrameTap? copy, FlowLimits limits, bool showSecrets, int maxElement, ModelBounds bounds, TlsKeyLog? keys)
    {
        _live = live;
        Recent = new RecentFrames();
        Model = new CaptureModel(title, Recent) { Live = this };
        var feeder = new ModelFeeder(Model);
        var output = new AnalyzerOutput(Model.Add, showSecrets, maxElement) { TlsKeys = keys };
        Run = new CaptureRun(() => live, limits)
        {
            Observer = new LiveObserver(feeder, Model, Recent, bounds),
            Tap = copy,
            Paused = () => _paused,
            ShowProgress = false,
            BatchDone = () =>
            {
                Model.BoundRows(bounds);
                Model.Changed(); // a batch goes at least every 100 ms while the capture runs: running durations tick
            },
        };
        _thread = new Thread(() => Capture(feeder, output)) { IsBackground = true, Name = "live capture" };
    }

    /// <summary>Starts capturing into a new model; <paramref name="live"/> is owned by the caller.</summary>
    public static LiveSession Start(LiveCapture live, string title, IFrameTap? copy, FlowLimits limits,
        bool showSecrets = false, int maxElement = AnalyzerOutput.DefaultMaxElementBytes, ModelBounds? bounds = null, TlsKeyLog? keys = null)
    {
        var session = new LiveSession(live, title, copy, limits, showSecrets, maxElement, bounds ?? new ModelBounds(), keys);
        session._thread.Start();
        return session;
    }

    private void Capture(ModelFeeder feeder, AnalyzerOutput output)
    {
        try
        {
            Run.Run(new AnalysisListener(feeder, output: output));
        }
        catch (LiveCaptureException e)
        {
            Model.Error = e.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The UI keeps what was captured; the failure is shown, not thrown through the screen.
            Model.Error = $"capture stopped: {e.GetType().Name}: {e.Message}";
        }
        finally
        {
            Model.Done = true;
        }
    }

    public long Now => LiveCapture.Clock;

    public bool Paused
    {
        get => _paused;
        set => _paused = value;
    }

    public string Status
    {
        get
        {
            LiveStatistics s = _live.Statistics;
            string state = Model.Done ? "stopped" : _paused ? "PAUSED" : "capturing";
            string text = string.Create(CultureInfo.InvariantCulture,
                $"{state} {_live.Path}  {_live.Frames:N0} pkts  {s.Dropped + s.InterfaceDropped:N0} dropped of {s.Received:N0} recv");
            long discarded = Run.PausedFrames;
            return discarded > 0 ? text + string.Create(CultureInfo.InvariantCulture, $"  {discarded:N0} paused away") : text;
        }
    }

    /// <summary>Ends the capture (what the kernel holds is still read), and waits for the open flows to be ended.</summary>
    public void Stop(TimeSpan wait)
    {
        _live.Stop();
        _thread.Join(wait);
    }

    public void Dispose() => Stop(TimeSpan.FromSeconds(3));
}
