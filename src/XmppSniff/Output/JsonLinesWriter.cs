using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace XmppSniff.Output;

/// <summary>
/// One JSON object per line; field names are the columns' names. Lines are built as UTF-8 and
/// written to the byte stream under a UTF-8 <see cref="StreamWriter"/> in 64 KiB pieces.
/// </summary>
internal sealed class JsonLinesWriter<T> : RecordWriter<T>
{
    private const int DrainBytes = 1 << 16;
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(DrainBytes * 2);
    private readonly Utf8JsonWriter _json;
    private readonly Stream? _bytes;
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);

    private readonly Func<T, IReadOnlyDictionary<string, object?>?>? _extra;

    /// <param name="extra">Fields a record carries beyond the columns (e.g. what an analyzer learned), written after them.</param>
    public JsonLinesWriter(TextWriter output, IReadOnlyList<Column<T>> columns, Func<T, IReadOnlyDictionary<string, object?>?>? extra = null)
        : base(output, columns)
    {
        _json = new Utf8JsonWriter(_buffer, Options);
        _extra = extra;
        if (output is StreamWriter { Encoding: UTF8Encoding { Preamble.Length: 0 } } writer) _bytes = writer.BaseStream;
    }

    public override void Write(T record)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        foreach (Column<T> column in Columns)
        {
            Cell cell = column.Get(record);
            if (cell.IsNumber) _json.WriteNumber(column.Name, cell.Decimal);
            else if (cell.IsBoolean) _json.WriteBoolean(column.Name, cell.Text == "true");
            else if (cell.IsUtf8) WriteString(column.Name, cell.Utf8.Span);
            else if (cell.Text is null) _json.WriteNull(column.Name);
            else WriteString(column.Name, cell.Text);
        }
        if (_extra?.Invoke(record) is { } extra)
            foreach ((string name, object? value) in extra)
            {
                _json.WritePropertyName(name);
                WriteValue(value);
            }
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= DrainBytes) Drain();
    }

    public override void Finish()
    {
        Drain();
        base.Finish();
    }

    public override void Flush()
    {
        Drain();
        Output.Flush();
    }

    private void Drain()
    {
        if (_bytes is null) Output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        else
        {
            Output.Flush(); // keep whatever went through the text writer first in order
            _bytes.Write(_buffer.WrittenSpan);
        }
        _buffer.ResetWrittenCount();
    }

    private void WriteString(string name, string text)
    {
        if (text.Length > 1024 || !Ascii.IsValid(text))
        {
            _json.WriteString(name, text);
            return;
        }
        Span<byte> ascii = stackalloc byte[text.Length];
        Ascii.FromUtf16(text, ascii, out _);
        WriteString(name, ascii);
    }

    /// <summary>ASCII (nearly all of it) escaped by <see cref="JsonStrings"/>; the rest by the JSON writer.</summary>
    private void WriteString(string name, ReadOnlySpan<byte> utf8)
    {
        _scratch.ResetWrittenCount();
        if (JsonStrings.TryWriteQuoted(utf8, _scratch))
        {
            _json.WritePropertyName(name);
            _json.WriteRawValue(_scratch.WrittenSpan, skipInputValidation: true);
        }
        else _json.WriteString(name, utf8);
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
