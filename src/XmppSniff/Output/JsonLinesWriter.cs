using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace XmppSniff.Output;

/// <summary>One JSON object per line; field names are the columns' names.</summary>
internal sealed class JsonLinesWriter<T> : RecordWriter<T>
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    public JsonLinesWriter(TextWriter output, IReadOnlyList<Column<T>> columns) : base(output, columns) =>
        _json = new Utf8JsonWriter(_buffer, Options);

    public override void Write(T record)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        foreach (Column<T> column in Columns)
        {
            Cell cell = column.Get(record);
            if (cell.IsNumber) _json.WriteNumber(column.Name, cell.Decimal);
            else if (cell.IsBoolean) _json.WriteBoolean(column.Name, cell.Text == "true");
            else if (cell.Text is null) _json.WriteNull(column.Name);
            else _json.WriteString(column.Name, cell.Text);
        }
        _json.WriteEndObject();
        _json.Flush();
        Output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
    }
}
