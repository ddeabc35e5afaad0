using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Explore;
using XmppSniff.Tui.Model;
using XmppSniff.Tui.Views;

namespace XmppSniff.Tui.Tests;

/// <summary>
/// The explorer over one capture, headless: the ANSI driver on a virtual screen, keys injected, the
/// screen read back as text. The capture is loaded completely first, by the same loader `open` uses.
/// </summary>
internal sealed class Screen : IDisposable
{
    private readonly IApplication _app;
    private readonly SessionToken? _session;
    private readonly FileCaptureSource? _source;

    public ExplorerWindow Window { get; }
    public CaptureModel Model { get; }

    public Screen(string capture, int width = 120, int height = 40, string? keylog = null)
    {
        string path = Repo.Capture(capture);
        _source = new FileCaptureSource(path, new FlowLimits());
        Model = new CaptureModel(Path.GetFileName(path), _source);
        var keys = new TlsKeyLog();
        if (keylog is not null) keys.AddFile(Repo.Capture(keylog));
        ModelLoader.Load(Model, path, new FlowLimits(), showSecrets: false, keys);
        (_app, Window, _session) = Start(Model, width, height);
    }

    /// <summary>The explorer over a model filled by the test itself, as a live source would fill it.</summary>
    public Screen(CaptureModel model, int width = 120, int height = 40)
    {
        Model = model;
        (_app, Window, _session) = Start(model, width, height);
    }

    private static (IApplication, ExplorerWindow, SessionToken?) Start(CaptureModel model, int width, int height)
    {
        IApplication app = Application.Create();
        app.Init(DriverRegistry.Names.ANSI);
        app.Driver!.SetScreenSize(width, height);
        var window = new ExplorerWindow(model, new ExplorerOptions { SynchronousFollow = true });
        SessionToken? session = app.Begin(window);
        app.LayoutAndDraw(true);
        return (app, window, session);
    }

    /// <summary>The screen as text, after taking in the model and redrawing.</summary>
    public string Text
    {
        get
        {
            Window.Refresh();
            _app.LayoutAndDraw(true);
            return _app.ToString() ?? "";
        }
    }

    /// <summary>The screen's rows, trailing blanks trimmed.</summary>
    public string[] Lines => Text.TrimEnd('\n', '\r').Split('\n').Select(l => l.TrimEnd()).ToArray();

    public IApplication App => _app;

    public Screen Press(params Key[] keys)
    {
        foreach (Key key in keys)
        {
            _app.InjectKey(key);
            _app.LayoutAndDraw();
        }
        return this;
    }

    public Screen Click(int x, int y)
    {
        _app.InjectSequence(InputInjectionExtensions.LeftButtonClick(new System.Drawing.Point(x, y)));
        _app.LayoutAndDraw();
        return this;
    }

    public Screen Type(string text)
    {
        foreach (char c in text) Press(new Key(c));
        return this;
    }

    public void Dispose()
    {
        if (_session is not null) _app.End(_session);
        Window.Dispose();
        _app.Dispose();
        _source?.Dispose();
    }
}
