namespace XmppSniff.Output;

internal enum OutputFormat
{
    Table,
    Jsonl,
    Csv,
}

internal static class OutputFormats
{
    /// <summary>Table for a person at a terminal, JSONL for a pipe or a file.</summary>
    public static OutputFormat Default => Console.IsOutputRedirected ? OutputFormat.Jsonl : OutputFormat.Table;

    public static RecordWriter<T> Create<T>(OutputFormat format, TextWriter output, IReadOnlyList<Column<T>> columns,
        Func<T, IReadOnlyDictionary<string, object?>?>? extra = null) => format switch
    {
        OutputFormat.Jsonl => new JsonLinesWriter<T>(output, columns, extra),
        OutputFormat.Csv => new CsvWriter<T>(output, columns),
        _ => new TableWriter<T>(output, columns),
    };
}
