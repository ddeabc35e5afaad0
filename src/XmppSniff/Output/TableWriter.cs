namespace XmppSniff.Output;

/// <summary>
/// Fixed-width columns for reading at a terminal; streams, so widths are set per column, not measured.
/// A value wider than its column is printed whole; trailing white space is cut from each line. A line
/// is built in one reused buffer: with a string per cell, a join and a pad per row, formatting took
/// twice as long as the whole JSONL output of the same records.
/// </summary>
internal sealed class TableWriter<T> : RecordWriter<T>
{
    private readonly Column<T>[] _shown;
    private char[] _line = new char[256];
    private int _length;
    private bool _headerWritten;

    public TableWriter(TextWriter output, IReadOnlyList<Column<T>> columns) : base(output, columns) =>
        _shown = columns.Where(c => c.TableWidth > 0).ToArray();

    public override void Write(T record)
    {
        WriteHeader();
        Span<char> number = stackalloc char[NumberText.MaxLength];
        for (int i = 0; i < _shown.Length; i++)
        {
            Cell cell = _shown[i].Get(record);
            Add(i, cell.IsNumber ? number[..NumberText.Format(cell.Number, number)] : cell.IsUtf8 ? cell.ToString() : cell.Text ?? "");
        }
        EndLine();
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
        for (int i = 0; i < _shown.Length; i++) Add(i, _shown[i].TableHeader ?? _shown[i].Name);
        EndLine();
    }

    /// <summary>Appends a column's text padded to its width, after a space from the second column on.</summary>
    private void Add(int index, ReadOnlySpan<char> text)
    {
        Column<T> column = _shown[index];
        int pad = Math.Max(0, column.TableWidth - text.Length);
        Reserve(1 + pad + text.Length);
        if (index > 0) _line[_length++] = ' ';
        if (column.RightAligned) Pad(pad);
        text.CopyTo(_line.AsSpan(_length));
        _length += text.Length;
        if (!column.RightAligned) Pad(pad);
    }

    private void Pad(int count)
    {
        _line.AsSpan(_length, count).Fill(' ');
        _length += count;
    }

    private void Reserve(int more)
    {
        if (_length + more > _line.Length) Array.Resize(ref _line, Math.Max(_line.Length * 2, _length + more));
    }

    private void EndLine()
    {
        Output.WriteLine(_line.AsSpan(0, _length).TrimEnd());
        _length = 0;
        // A very long value grew the buffer: give that memory back.
        if (_line.Length > 1 << 16) _line = new char[256];
    }
}
