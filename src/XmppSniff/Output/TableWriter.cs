namespace XmppSniff.Output;

/// <summary>Fixed-width columns for reading at a terminal; streams, so widths are set per column, not measured.</summary>
internal sealed class TableWriter<T> : RecordWriter<T>
{
    private readonly Column<T>[] _shown;
    private bool _headerWritten;

    public TableWriter(TextWriter output, IReadOnlyList<Column<T>> columns) : base(output, columns) =>
        _shown = columns.Where(c => c.TableWidth > 0).ToArray();

    public override void Write(T record)
    {
        WriteHeader();
        Output.WriteLine(Row(c => c.Get(record).ToString()).TrimEnd());
    }

    public override void Finish()
    {
        WriteHeader();
        base.Finish();
    }

    private void WriteHeader()
    {
        if (_headerWritten) return;
        _headerWritten = true;
        Output.WriteLine(Row(c => c.TableHeader ?? c.Name).TrimEnd());
    }

    private string Row(Func<Column<T>, string> text) =>
        string.Join(' ', _shown.Select(c => c.RightAligned ? text(c).PadLeft(c.TableWidth) : text(c).PadRight(c.TableWidth)));
}
