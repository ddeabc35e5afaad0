using System.Text.Encodings.Web;
using System.Text.Json;
using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>
/// One JSON object per line; field names are the columns' names. Lines are written as UTF-8 bytes
/// straight into an <see cref="OutputBuffer"/>: ASCII text escaped by <see cref="JsonStrings"/>, the
/// rest (non-ASCII text, nested extra fields) by <see cref="Utf8JsonWriter"/>, one value at a time.
/// </summary>
internal class JsonLinesWriter<T> : RecordWriter<T>
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly OutputBuffer _buffer;
    private readonly Utf8JsonWriter _json;
    private readonly Column<T>[] _columns; // an array, not the base's list: no interface call per field
    private readonly byte[][] _names;
    private readonly Func<T, IReadOnlyDictionary<string, object?>?>? _extra;

    /// <param name="extra">Fields a record carries beyond the columns (e.g. what an analyzer learned), written after them.</param>
    public JsonLinesWriter(TextWriter output, IReadOnlyList<Column<T>> columns, Func<T, IReadOnlyDictionary<string, object?>?>? extra = null)
        : base(output, columns)
    {
        _buffer = new OutputBuffer(output);
        _json = new Utf8JsonWriter(_buffer, Options);
        _extra = extra;
        _columns = [.. columns];
        // `"name":`, after a comma from the second field on.
        _names = [.. columns.Select((c, i) => (byte[])[.. i == 0 ? ""u8 : ","u8, (byte)'"', .. JsonEncodedText.Encode(c.Name, Options.Encoder).EncodedUtf8Bytes, .. "\":"u8])];
    }

    public override void Write(T record)
    {
        _buffer.Write((byte)'{');
        for (int i = 0; i < _names.Length; i++)
        {
            _buffer.Write(_names[i]);
            Column<T> column = _columns[i];
            if (column.Json is { } json)
            {
                json(record, _buffer);
                continue;
            }
            Cell cell = column.Get(record);
            if (cell.IsNumber) _buffer.WriteNumber(cell.Number);
            else if (cell.IsBoolean) _buffer.Write(cell.Text == "true" ? "true"u8 : "false"u8);
            else if (cell.IsUtf8) WriteString(cell.Utf8.Span);
            else WriteString(cell.Text);
        }
        if (_extra?.Invoke(record) is { } extra)
        {
            bool first = _names.Length == 0;
            foreach ((string name, object? value) in extra)
            {
                if (!first) _buffer.Write((byte)',');
                first = false;
                WriteString(name);
                _buffer.Write((byte)':');
                _json.Reset(_buffer);
                WriteValue(value);
                _json.Flush();
            }
        }
        _buffer.Write((byte)'}');
        _buffer.EndLine();
    }

    public override void Finish()
    {
        _buffer.Drain();
        base.Finish();
    }

    public override void Flush()
    {
        _buffer.Drain();
        Output.Flush();
    }

    /// <summary>Where lines are built, for a writer that writes a record's fields itself (see <see cref="StanzaJsonWriter"/>).</summary>
    protected OutputBuffer Buffer => _buffer;

    /// <summary>A JSON string, or null.</summary>
    protected void WriteString(string? text)
    {
        if (text is null)
        {
            _buffer.Write("null"u8);
            return;
        }
        if (JsonStrings.TryWriteQuoted(text.AsSpan(), _buffer)) return;
        _json.Reset(_buffer);
        _json.WriteStringValue(text);
        _json.Flush();
    }

    /// <summary>Valid UTF-8 as a JSON string, or null.</summary>
    protected void WriteString(Utf8Text? utf8)
    {
        if (utf8 is { } text) WriteString(text.Bytes.Span);
        else _buffer.Write("null"u8);
    }

    private void WriteString(ReadOnlySpan<byte> utf8)
    {
        if (JsonStrings.TryWriteQuoted(utf8, _buffer)) return;
        _json.Reset(_buffer);
        _json.WriteStringValue(utf8);
        _json.Flush();
    }

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null: _json.WriteNullValue(); break;
            case string text: _json.WriteStringValue(text); break;
            case bool flag: _json.WriteBooleanValue(flag); break;
            case int or long: _json.WriteNumberValue(Convert.ToInt64(value)); break;
            case double number: _json.WriteNumberValue((decimal)number); break;
            case IReadOnlyDictionary<string, object?> fields:
                _json.WriteStartObject();
                foreach ((string name, object? field) in fields)
                {
                    _json.WritePropertyName(name);
                    WriteValue(field);
                }
                _json.WriteEndObject();
                break;
            case System.Collections.IEnumerable items:
                _json.WriteStartArray();
                foreach (object? item in items) WriteValue(item);
                _json.WriteEndArray();
                break;
            default: _json.WriteStringValue(value.ToString()); break;
        }
    }
}
