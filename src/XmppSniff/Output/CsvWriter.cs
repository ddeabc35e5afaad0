namespace XmppSniff.Output;

/// <summary>RFC 4180 CSV with a header row; null is an empty field.</summary>
internal sealed class CsvWriter<T>(TextWriter output, IReadOnlyList<Column<T>> columns) : RecordWriter<T>(output, columns)
{
    private bool _headerWritten;

    public override void Write(T record)
    {
        if (!_headerWritten)
        {
            Output.WriteLine(string.Join(',', Columns.Select(c => c.Name)));
            _headerWritten = true;
        }
        Output.WriteLine(string.Join(',', Columns.Select(c => Quote(c.Get(record).ToString()))));
    }

    public override void Finish()
    {
        if (!_headerWritten) Output.WriteLine(string.Join(',', Columns.Select(c => c.Name)));
        base.Finish();
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
