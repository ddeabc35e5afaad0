using System.Buffers;
using System.Text;

namespace XmppSniff.Output;

/// <summary>RFC 4180 CSV with a header row; null is an empty field. Lines are built as UTF-8 bytes.</summary>
internal sealed class CsvWriter<T>(TextWriter output, IReadOnlyList<Column<T>> columns) : RecordWriter<T>(output, columns)
{
    private static readonly SearchValues<byte> NeedsQuotes = SearchValues.Create(",\"\r\n"u8);
    private readonly OutputBuffer _buffer = new(output);
    private bool _headerWritten;

    public override void Write(T record)
    {
        if (!_headerWritten) WriteHeader();
        for (int i = 0; i < Columns.Count; i++)
        {
            if (i > 0) _buffer.Write((byte)',');
            Cell cell = Columns[i].Get(record);
            if (cell.IsUtf8) WriteField(cell.Utf8.Span);
            else if (cell.IsNumber) _buffer.WriteNumber(cell.Number); // never needs quotes
            else if (!cell.IsNull) WriteField(cell.Text!);
        }
        _buffer.EndLine();
    }

    public override void Finish()
    {
        if (!_headerWritten) WriteHeader();
        _buffer.Drain();
        base.Finish();
    }

    public override void Flush()
    {
        _buffer.Drain();
        Output.Flush();
    }

    private void WriteHeader()
    {
        _buffer.Write(Encoding.UTF8.GetBytes(string.Join(',', Columns.Select(c => c.Name))));
        _buffer.EndLine();
        _headerWritten = true;
    }

    private void WriteField(string text)
    {
        Span<byte> utf8 = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        int length = Encoding.UTF8.GetBytes(text, utf8);
        if (utf8[..length].IndexOfAny(NeedsQuotes) < 0) _buffer.Advance(length);
        else WriteField(Encoding.UTF8.GetBytes(text)); // rare; a copy, as the quoted field is written over these bytes
    }

    private void WriteField(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAny(NeedsQuotes) < 0)
        {
            _buffer.Write(utf8);
            return;
        }
        _buffer.Write((byte)'"');
        int quote;
        while ((quote = utf8.IndexOf((byte)'"')) >= 0)
        {
            _buffer.Write(utf8[..(quote + 1)]);
            _buffer.Write((byte)'"');
            utf8 = utf8[(quote + 1)..];
        }
        _buffer.Write(utf8);
        _buffer.Write((byte)'"');
    }
}
