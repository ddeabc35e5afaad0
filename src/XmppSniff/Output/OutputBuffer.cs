using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace XmppSniff.Output;

/// <summary>
/// Output lines built as UTF-8 bytes and handed to the output in large pieces. When the output is a
/// UTF-8 stream writer the bytes go to its stream as they are, else they are decoded once for it.
/// </summary>
internal sealed class OutputBuffer(TextWriter output) : IBufferWriter<byte>
{
    public const int DrainBytes = 1 << 16;

    private readonly Stream? _bytes = output is StreamWriter { Encoding: UTF8Encoding { Preamble.Length: 0 } } writer ? writer.BaseStream : null;
    private byte[] _buffer = new byte[DrainBytes * 2];
    private int _count;

    public TextWriter Output { get; } = output;

    public int Count => _count;

    // Inlined, so that the short constants a record is made of (`,"kind":`) are copied by a few moves the compiler
    // unrolls for their known length, not by a call each (stanzas: 440 -> 370 ns a small record); growing stays out of line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _count) Grow(bytes.Length);
        bytes.CopyTo(new Span<byte>(_buffer, _count, bytes.Length));
        _count += bytes.Length;
    }

    public void Write(byte b)
    {
        if (_count == _buffer.Length) Grow(1);
        _buffer[_count++] = b;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        if (Math.Max(sizeHint, 1) > _buffer.Length - _count) Grow(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpan(sizeHint);
        return _buffer.AsMemory(_count);
    }

    public void Advance(int count) => _count += count;

    /// <summary>A number as <see cref="NumberText"/> writes it.</summary>
    public void WriteNumber(double number) => Advance(NumberText.FormatUtf8(number, GetSpan(NumberText.MaxLength)));

    /// <summary>Takes back what was written since <see cref="Count"/> was <paramref name="count"/> (within the current line).</summary>
    public void Truncate(int count) => _count = count;

    /// <summary>Hands the lines over when enough have gathered; a line is never split.</summary>
    public void EndLine()
    {
        Write((byte)'\n');
        if (_count >= DrainBytes) Drain();
    }

    public void Drain()
    {
        if (_bytes is null) Output.Write(Encoding.UTF8.GetString(_buffer, 0, _count));
        else
        {
            Output.Flush(); // keep whatever went through the text writer first in order
            _bytes.Write(_buffer, 0, _count);
        }
        _count = 0;
        // A very long line grew the buffer: give that memory back.
        if (_buffer.Length > DrainBytes * 16) _buffer = new byte[DrainBytes * 2];
    }

    private void Grow(int needed) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + needed));
}
