using System.Diagnostics;
using Terminal.Gui.App;
using Terminal.Gui.Drawing;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using XmppSniff.Core;
using XmppSniff.Tui.Model;
using XmppSniff.Tui.Text;
using Attribute = Terminal.Gui.Drawing.Attribute;
using LineStyle = XmppSniff.Tui.Text.LineStyle;

namespace XmppSniff.Tui.Views;

/// <summary>
/// The whole screen: a tab line, the current view (a table, or a page over it), the filter bar and
/// the status line. It reads the model on a timer and never waits for the engine.
/// </summary>
internal sealed class ExplorerWindow : Runnable
{
    public static readonly string[] ViewNames = ["Connections", "Stanzas", "Packets", "HTTP", "Stats"];

    private readonly CaptureModel _model;
    private readonly ExplorerOptions _options;
    private readonly Label _tabs;
    private readonly TableView[] _tables = new TableView[4];
    private readonly RowsSource[] _sources;
    private readonly LinesView _page;
    private readonly Label _filterLabel;
    private readonly TextField _filter;
    private readonly Label _status;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _seenVersion = -1;
    private bool _seenDone;
    private double? _loadedSeconds;
    private int _view;
    private FlowRow? _pageFlow;
    private XmppElement? _pageStanza;
    private CancellationTokenSource? _follow;
    private string? _message;
    private string _filterBefore = "";
    private const int LiveFilterRows = 100_000;

    public ExplorerWindow(CaptureModel model, ExplorerOptions options)
    {
        _model = model;
        _options = options;
        BorderStyle = Terminal.Gui.Drawing.LineStyle.None;

        _tabs = PlainLabel(0, 0);
        _tabs.MouseEvent += OnTabsMouse;
        Add(_tabs);

        _sources = [Tables.Connections(model), Tables.Stanzas(model), Tables.Packets(model), Tables.Http(model)];
        for (int i = 0; i < _tables.Length; i++)
        {
            TableView table = MakeTable(_sources[i]);
            table.Visible = i == 0;
            _tables[i] = table;
            Add(table);
        }

        _page = new LinesView { X = 0, Y = 1, Width = Dim.Fill(), Height = Dim.Fill(2), Visible = false };
        Add(_page);

        _filterLabel = PlainLabel(0, Pos.AnchorEnd(2));
        // Not focusable while hidden: a hidden field holding focus would swallow the number keys.
        _filter = new TextField { X = 8, Y = Pos.AnchorEnd(2), Width = Dim.Fill(), Height = 1, Visible = false, CanFocus = false };
        _filter.KeyDown += OnFilterKey;
        _filter.TextChanged += (_, _) => CheckFilter();
        Add(_filterLabel, _filter);

        _status = PlainLabel(0, Pos.AnchorEnd(1));
        _status.SetScheme(new Scheme(new Attribute(new Color(ColorName16.Black), new Color(ColorName16.Gray))));
        Add(_status);

        KeyDown += OnKey;
        Refresh();
    }

    /// <summary>0-4: the view the tab line marks.</summary>
    public int CurrentView => _view;

    public DetailKind Detail { get; private set; }

    /// <summary>The user pressed q (the app is asked to stop).</summary>
    public bool QuitRequested { get; private set; }

    /// <summary>The selected row of the current table (table order), or -1.</summary>
    public int SelectedRow => _view < 4 ? _tables[_view].Value?.SelectedCell.Y ?? -1 : -1;

    public IReadOnlyList<StyledLine> PageLines => _page.Lines;

    /// <summary>Called by the timer: takes in what the model gained and redraws what changed.</summary>
    public void Refresh()
    {
        long version = _model.Version;
        bool done = _model.Done;
        if (done && _loadedSeconds is null) _loadedSeconds = _clock.Elapsed.TotalSeconds;
        if (version != _seenVersion || done != _seenDone)
        {
            _seenVersion = version;
            _seenDone = done;
            if (_view < 4)
            {
                _sources[_view].Refresh();
                _tables[_view].Update();
            }
            else if (Detail == DetailKind.None) _page.SetLines(StatsPage.Build(_model, Math.Max(40, Viewport.Width)), keepPosition: true);
        }
        if (_view < 4) EnsureSelection(_tables[_view]);
        UpdateTabs();
        UpdateStatus();
    }

    /// <summary>A table starts with its first row selected, so Enter and the arrows work at once.</summary>
    private static void EnsureSelection(TableView table)
    {
        if (table.IsInitialized && table.Value is null && table.Table is { Rows: > 0 }) table.SetSelection(0, 0, false);
    }

    private TableView MakeTable(RowsSource source)
    {
        var table = new TableView
        {
            X = 0,
            Y = 1,
            Width = Dim.Fill(),
            Height = Dim.Fill(2),
            FullRowSelect = true,
            MaxCellWidth = 48,
            CollectionNavigator = null, // letters and digits are our keys, not type-to-search
        };
        table.Style.ShowHorizontalHeaderOverline = false;
        table.Style.ShowHorizontalBottomLine = false;
        table.Style.ShowVerticalCellLines = false;
        table.Style.ShowVerticalHeaderLines = false;
        table.Style.ExpandLastColumn = true;
        table.Style.AlwaysShowHeaders = true;
        table.Table = source;
        var schemes = new Dictionary<LineStyle, Scheme>();
        table.Style.RowColorGetter = args =>
        {
            LineStyle style = source.StyleOf(args.RowIndex);
            if (style == LineStyle.Normal) return null;
            if (!schemes.TryGetValue(style, out Scheme? scheme))
            {
                Scheme basis = table.GetScheme();
                schemes[style] = scheme = new Scheme(basis) { Normal = LinesView.AttributeFor(style, basis.Normal) };
            }
            return scheme;
        };
        table.Initialized += (_, _) => EnsureSelection(table);
        // Our keys first: an empty TableView swallows every printable key it does not bind.
        table.KeyDown += (_, key) =>
        {
            if (key == Key.Enter) OpenSelected();
            else if (!HandleKey(key)) return;
            key.Handled = true;
        };
        table.Accepting += (_, e) =>
        {
            OpenSelected();
            e.Handled = true;
        };
        return table;
    }

    private void OnKey(object? sender, Key key)
    {
        if (HandleKey(key)) key.Handled = true;
    }

    private bool HandleKey(Key key)
    {
        if (key == Key.Esc)
        {
            if (_filter.Visible) CloseFilter(apply: false);
            else if (Detail != DetailKind.None) ClosePage();
            else if (_message is not null) _message = null;
            UpdateStatus();
            return true; // never quit on Esc: q does
        }
        if (key.IsCtrl || key.IsAlt) return false;
        if (key == Key.D1 || key == Key.D2 || key == Key.D3 || key == Key.D4 || key == Key.D5)
        {
            ShowView((int)(key.KeyCode - KeyCode.D1));
            return true;
        }
        int rune = key.AsRune.Value;
        switch (rune)
        {
            case 'q':
                QuitRequested = true;
                App?.RequestStop();
                return true;
            case '?':
                OpenPage(DetailKind.Help, HelpPage.Build());
                return true;
            case '/':
                OpenFilter();
                return true;
            case ' ' when _model.Live is { } live:
                live.Paused = !live.Paused;
                _message = live.Paused ? "paused (space resumes)" : null;
                UpdateStatus();
                return true;
            case 's' when _view < 4 && Detail == DetailKind.None:
                _message = _sources[_view].NextSort() is { } order ? "sorted: " + order : "this view keeps capture order";
                _tables[_view].Update();
                UpdateStatus();
                return true;
            case 'g' or 'G' when _view < 4 && Detail == DetailKind.None && _sources[_view].Rows > 0:
                // Home/End arrive as escape sequences some terminals (tmux) spell differently: g and G always work.
                _tables[_view].SetSelection(0, rune == 'G' ? _sources[_view].Rows - 1 : 0, false);
                _tables[_view].EnsureCursorIsVisible();
                _tables[_view].Update();
                UpdateStatus();
                return true;
            case 'l' when _pageFlow is not null && Detail is DetailKind.Ladder or DetailKind.Follow:
                ShowLadder(_pageFlow);
                return true;
            case 'f' when CurrentFlow() is { } flow:
                ShowFollow(flow);
                return true;
            case 'p' when Detail == DetailKind.Stanza && _pageStanza is { } element:
                ShowView(2);
                // The frame may be filtered out: then show all packets rather than none.
                if (((RowsSource<int>)_sources[2]).TableRow((int)element.FirstFrame - 1) < 0) SetFilter("");
                SelectModelRow(2, (int)element.FirstFrame - 1);
                return true;
            case 'p' when CurrentFlow() is { } flow:
                ShowView(2);
                SetFilter($"flow={flow.Id}");
                return true;
            case 'x' when CurrentFlow() is { } flow:
                ShowView(1);
                SetFilter($"flow={flow.Id}");
                return true;
        }
        return false;
    }

    /// <summary>The connection the user is looking at: the open page's, or the selected row's in Connections.</summary>
    private FlowRow? CurrentFlow()
    {
        if (Detail is DetailKind.Ladder or DetailKind.Follow) return _pageFlow;
        if (Detail == DetailKind.None && _view == 0 && SelectedRow >= 0 && SelectedRow < _sources[0].Rows) return ((RowsSource<FlowRow>)_sources[0]).Row(SelectedRow);
        return null;
    }

    public void ShowView(int view)
    {
        CloseFilter(apply: false);
        ClosePage();
        _view = view;
        for (int i = 0; i < _tables.Length; i++) _tables[i].Visible = i == view;
        _page.Visible = view >= 4;
        _seenVersion = -1;
        if (view < 4)
        {
            EnsureSelection(_tables[view]);
            _tables[view].SetFocus();
        }
        else
        {
            _page.SetLines(StatsPage.Build(_model, Math.Max(40, Viewport.Width)));
            _page.SetFocus();
        }
        Refresh();
    }

    /// <summary>Selects the table row showing model row <paramref name="modelIndex"/> (a frame, a stanza), if the filter shows it.</summary>
    private void SelectModelRow(int view, int modelIndex)
    {
        int row = _sources[view] switch
        {
            RowsSource<int> frames => frames.TableRow(modelIndex),
            _ => -1,
        };
        if (row < 0) return;
        _tables[view].SetSelection(0, row, false);
        _tables[view].EnsureCursorIsVisible();
        _tables[view].Update();
        UpdateStatus();
    }

    private void OpenSelected()
    {
        int row = SelectedRow;
        if (row < 0 || row >= _sources[_view].Rows) return;
        switch (_sources[_view])
        {
            case RowsSource<FlowRow> flows:
                ShowLadder(flows.Row(row));
                break;
            case RowsSource<XmppElement> stanzas:
                _pageStanza = stanzas.Row(row);
                OpenPage(DetailKind.Stanza, StanzaPage.Build(_model, _pageStanza));
                break;
            case RowsSource<int> packets:
                int index = packets.Row(row);
                FrameEntry entry = _model.Frames[index];
                byte[]? data = _model.Source?.ReadFrame(index + 1, in entry);
                OpenPage(DetailKind.Packet, PacketPage.Build(index + 1, in entry, data, _model.FirstTime));
                break;
            case RowsSource<HttpTransaction> http:
                if (_model.FindFlow(http.Row(row).Flow) is { } flow) ShowLadder(flow);
                break;
        }
    }

    private void ShowLadder(FlowRow flow)
    {
        _pageFlow = flow;
        OpenPage(DetailKind.Ladder, Ladder.Build(_model, flow, LadderWidth()));
    }

    private int LadderWidth() => Math.Clamp(Viewport.Width - 22, 30, 120);

    private void ShowFollow(FlowRow flow)
    {
        _pageFlow = flow;
        _follow?.Cancel();
        if (FollowPage.HasElements(_model, flow.Id) || _model.Source is null)
        {
            List<StyledLine> lines = FollowPage.HasElements(_model, flow.Id)
                ? FollowPage.FromElements(_model, flow)
                : [new("(this source cannot replay a stream)", LineStyle.Dim)];
            OpenPage(DetailKind.Follow, lines);
            return;
        }
        OpenPage(DetailKind.Follow, [new($"follow flow {flow.Id}: reading the stream…", LineStyle.Dim)]);
        var cancel = _follow = new CancellationTokenSource();
        ICaptureSource source = _model.Source;
        if (_options.SynchronousFollow)
        {
            _page.SetLines(FollowPage.FromChunks(flow, source.Follow(flow.Id, cancel.Token)));
            return;
        }
        Task.Run(() =>
        {
            List<StyledLine> lines;
            try
            {
                lines = FollowPage.FromChunks(flow, source.Follow(flow.Id, cancel.Token));
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
            {
                lines = [new($"follow flow {flow.Id}: {e.Message}", LineStyle.Error)];
            }
            App?.Invoke(() =>
            {
                if (!cancel.IsCancellationRequested && Detail == DetailKind.Follow && _pageFlow == flow) _page.SetLines(lines);
            });
        });
    }

    private void OpenPage(DetailKind kind, IReadOnlyList<StyledLine> lines)
    {
        CloseFilter(apply: false);
        Detail = kind;
        _page.SetLines(lines);
        _page.Visible = true;
        foreach (TableView table in _tables) table.Visible = false;
        _page.SetFocus();
        UpdateStatus();
    }

    private void ClosePage()
    {
        if (Detail == DetailKind.None) return;
        _follow?.Cancel();
        Detail = DetailKind.None;
        _pageFlow = null;
        if (_view < 4)
        {
            _page.Visible = false;
            _tables[_view].Visible = true;
            _tables[_view].SetFocus();
        }
        else _page.SetLines(StatsPage.Build(_model, Math.Max(40, Viewport.Width)));
        UpdateStatus();
    }

    private void OpenFilter()
    {
        if (_view >= 4) return;
        ClosePage();
        _filterBefore = _sources[_view].FilterText;
        _filter.Text = _filterBefore;
        _filter.Visible = true;
        _filter.CanFocus = true;
        _filter.SetFocus();
        _filter.MoveEnd();
        CheckFilter();
    }

    private void OnFilterKey(object? sender, Key key)
    {
        if (key == Key.Enter)
        {
            CloseFilter(apply: true);
            key.Handled = true;
        }
        else if (key == Key.Esc)
        {
            CloseFilter(apply: false);
            key.Handled = true;
        }
    }

    /// <summary>Filters as the user types: a valid filter applies at once, an invalid one says why and leaves the table as it was.</summary>
    private void CheckFilter()
    {
        if (!_filter.Visible) return;
        // A million packets are filtered once, on Enter; smaller tables follow every keystroke.
        if (_view == 2 && _model.Frames.Count > LiveFilterRows)
        {
            string? error = _sources[_view].Validate(_filter.Text);
            _message = error is null ? "filter: Enter applies" : "filter: " + error;
            UpdateStatus();
        }
        else SetFilter(_filter.Text);
        SetText(_filterLabel, "filter:");
    }

    private void CloseFilter(bool apply)
    {
        if (!_filter.Visible) return;
        _filter.Visible = false;
        _filter.CanFocus = false;
        SetFilter(apply ? _filter.Text : _filterBefore);
        if (_view < 4) _tables[_view].SetFocus();
        UpdateFilterLabel();
    }

    /// <summary>Filters the current table; a bad filter leaves the old one and says why in the status line.</summary>
    public void SetFilter(string text)
    {
        if (_view >= 4) return;
        string? error = _sources[_view].SetFilter(text);
        _message = error is null ? null : "filter: " + error;
        _tables[_view].Update();
        UpdateFilterLabel();
        UpdateStatus();
    }

    /// <summary>
    /// A one-line label for text from the capture and the user (file names, filters, errors), shown as it is:
    /// a label takes '_' as the mark of a hotkey and hides it ("xmpp_c2s.pcap" would read "xmppc2s.pcap").
    /// </summary>
    private static Label PlainLabel(Pos x, Pos y) => new() { X = x, Y = y, Width = Dim.Fill(), Height = 1, HotKeySpecifier = (System.Text.Rune)0xFFFF };

    /// <summary>Sets a label's text only when it differs: every set costs a layout and a redraw, and the timer calls this five times a second.</summary>
    private static void SetText(Label label, string text)
    {
        if (label.Text != text) label.Text = text;
    }

    private void UpdateFilterLabel()
    {
        string filter = _view < 4 ? _sources[_view].FilterText : "";
        SetText(_filterLabel, _filter.Visible ? "filter:" : filter.Length > 0 ? $"filter: {filter}   (/ to change)" : "");
    }

    private void UpdateTabs()
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < ViewNames.Length; i++)
            text.Append(i == _view ? $"[{i + 1} {ViewNames[i]}]" : $" {i + 1} {ViewNames[i]} ");
        text.Append("  ").Append(_model.Title);
        SetText(_tabs, text.ToString());
    }

    private void OnTabsMouse(object? sender, Mouse mouse)
    {
        if (!mouse.Flags.HasFlag(MouseFlags.LeftButtonClicked) || mouse.Position is not { } at) return;
        int x = 0;
        for (int i = 0; i < ViewNames.Length; i++)
        {
            int width = ViewNames[i].Length + 4;
            if (at.X >= x && at.X < x + width)
            {
                ShowView(i);
                mouse.Handled = true;
                return;
            }
            x += width;
        }
    }

    private void UpdateStatus()
    {
        string load;
        int frames = _model.Frames.Count, flows = _model.Flows.Count;
        if (_model.Error is { } error) load = "error: " + error;
        else if (_model.Live is { } live) load = LiveStatusLine.Build(_model, live);
        else if (!_model.Done)
        {
            string percent = _model.Length > 0 ? $"{100.0 * _model.Position / _model.Length:0}% " : "";
            load = $"loading {percent}{Units.Count(frames)} pkts {Units.Count(flows)} flows";
        }
        else load = $"{Units.Count(frames)} pkts {Units.Count(flows)} flows {Units.Count(_model.Stanzas.Count)} stanzas{(_loadedSeconds is { } s ? $" ({s:0.0}s)" : "")}";

        string rows = _view < 4 && Detail == DetailKind.None ? $"{Math.Max(0, SelectedRow + 1)}/{Units.Count(_sources[_view].Rows)}  " : "";
        string keys = Detail switch
        {
            DetailKind.Ladder or DetailKind.Follow => "l ladder  f follow  x stanzas  p packets  Esc back",
            DetailKind.Stanza => "p its packets  Esc back  ? help  q quit",
            DetailKind.None when _view == 0 && _model.Live is { } live => $"Enter ladder  f follow  s sort  / filter  space {(live.Paused ? "resume" : "pause")}  ? help  q quit",
            DetailKind.None when _view == 0 => "Enter ladder  f follow  x stanzas  s sort  / filter  ? help  q quit",
            DetailKind.None when _view < 4 => "Enter open  / filter  ? help  q quit",
            _ => "Esc back  ? help  q quit",
        };
        string status = _message is { } m ? $"{m}  │ {load}" : $"{rows}{keys}  │ {load}";
        // Narrow screens keep the progress and drop the key list (? shows it).
        // Live, the pause key stays in sight longest.
        string pause = _model.Live is { } l ? $"space {(l.Paused ? "resume" : "pause")}  " : "";
        if (status.Length > Viewport.Width && _message is null) status = $"{rows}{pause}? help  q quit  │ {load}";
        if (status.Length > Viewport.Width && _message is null && pause.Length > 0) status = $"{rows}{pause}│ {load}";
        SetText(_status, status);
    }

    protected override void Dispose(bool disposing)
    {
        _follow?.Cancel();
        base.Dispose(disposing);
    }
}
