using Terminal.Gui.Views;
using XmppSniff.Tui.Filtering;
using XmppSniff.Tui.Text;

namespace XmppSniff.Tui.Views;

/// <summary>A column of a view: its header and how to print a row's cell.</summary>
internal sealed record Column<T>(string Name, Func<T, string> Cell);

/// <summary>What the window needs of any table, whatever its row type.</summary>
internal abstract class RowsSource : ITableSource
{
    public abstract string[] ColumnNames { get; }
    public int Columns => ColumnNames.Length;
    public abstract int Rows { get; }
    public abstract object this[int row, int col] { get; }

    public string FilterText { get; protected set; } = "";

    /// <summary>Takes in what the model gained since the last call.</summary>
    public abstract void Refresh();

    /// <summary>Sets the filter; returns why it is not valid (the old filter then stays), or null.</summary>
    public abstract string? SetFilter(string text);

    /// <summary>Why <paramref name="text"/> is not a valid filter here, or null; nothing is applied.</summary>
    public abstract string? Validate(string text);

    /// <summary>The colour of table row <paramref name="row"/>.</summary>
    public abstract LineStyle StyleOf(int row);

    /// <summary>Cycles the sort order; returns a description of the new order.</summary>
    public virtual string? NextSort() => null;
}

/// <summary>
/// A virtual table over rows the model holds: only the cells drawn are ever formatted. Without a
/// filter or sort the table is the model's list itself; with one it is a list of row indices,
/// extended as rows arrive (or rebuilt, for rows that change after they appear, like live flows).
/// </summary>
internal sealed class RowsSource<T>(
    Column<T>[] columns,
    Func<int> count,
    Func<int, T> get,
    FilterFields<T> fields,
    bool rowsChange = false,
    (string Name, Comparison<T> Order)[]? sorts = null,
    Func<int>? settledCount = null,
    Func<T, LineStyle>? style = null) : RowsSource
{
    private readonly string[] _names = columns.Select(c => c.Name).ToArray();
    private RowFilter<T>? _filter;
    private List<int>? _view;
    private int _scanned;
    private int _count;
    private int _sort = -1;

    public override string[] ColumnNames => _names;

    public override int Rows => _view?.Count ?? _count;

    public override object this[int row, int col] => (uint)row < (uint)Rows ? columns[col].Cell(Row(row)) : "";

    /// <summary>The model's index of table row <paramref name="row"/>.</summary>
    public int ModelIndex(int row) => _view is null ? row : _view[row];

    public T Row(int row) => get(ModelIndex(row));

    public override LineStyle StyleOf(int row) => style is not null && (uint)row < (uint)Rows ? style(Row(row)) : LineStyle.Normal;

    /// <summary>The table row showing model row <paramref name="modelIndex"/>, or -1.</summary>
    public int TableRow(int modelIndex) => _view is null ? (modelIndex < _count ? modelIndex : -1) : _view.IndexOf(modelIndex);

    public override void Refresh()
    {
        int n = count();
        if (_filter is null && _sort < 0)
        {
            _view = null;
            _count = n;
            return;
        }
        if (rowsChange || _sort >= 0 || _view is null)
        {
            _view = [];
            _scanned = 0;
        }
        // Rows past the settled count may still be filled in by the engine: filter them next time.
        int upTo = Math.Min(n, settledCount?.Invoke() ?? n);
        for (int i = _scanned; i < upTo; i++)
            if (_filter?.Matches(get(i)) != false) _view.Add(i);
        _scanned = Math.Max(_scanned, upTo);
        if (_sort >= 0)
        {
            Comparison<T> order = sorts![_sort].Order;
            _view.Sort((a, b) => order(get(a), get(b)) is var c and not 0 ? c : a.CompareTo(b));
        }
        _count = n;
    }

    public override string? SetFilter(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            _filter = null;
            FilterText = "";
        }
        else
        {
            if (!RowFilter<T>.TryParse(text, fields, out RowFilter<T>? filter, out string? error)) return error;
            _filter = filter;
            FilterText = text.Trim();
        }
        _view = null;
        Refresh();
        return null;
    }

    public override string? Validate(string text) =>
        RowFilter<T>.TryParse(text, fields, out _, out string? error) ? null : error;

    public override string? NextSort()
    {
        if (sorts is null or { Length: 0 }) return null;
        _sort = _sort + 1 >= sorts.Length ? -1 : _sort + 1;
        _view = null;
        Refresh();
        return _sort < 0 ? "capture order" : sorts[_sort].Name;
    }
}
