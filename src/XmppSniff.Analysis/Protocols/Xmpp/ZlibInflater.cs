using System.IO.Compression;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Inflates a zlib stream pushed in pieces as they arrive (XEP-0138 stream compression): each
/// <see cref="Inflate"/> returns what the bytes so far decompress to. Peers flush after every
/// stanza, so a stanza comes out as soon as its last compressed byte is in.
/// </summary>
public sealed class ZlibInflater : IDisposable
{
    private readonly Feed _feed = new();
    private readonly ZLibStream _zlib;
    private readonly byte[] _chunk = new byte[16 * 1024];

    public ZlibInflater() => _zlib = new ZLibStream(_feed, CompressionMode.Decompress);

    /// <summary>Total compressed and decompressed bytes so far.</summary>
    public long In { get; private set; }

    public long Out { get; private set; }

    /// <summary>Takes all of <paramref name="compressed"/>; hands each piece of output to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a zlib stream.</exception>
    public void Inflate(ReadOnlySpan<byte> compressed, Action<ReadOnlyMemory<byte>> output)
    {
        _feed.Add(compressed);
        In += compressed.Length;
        int n;
        while ((n = _zlib.Read(_chunk)) > 0)
        {
            Out += n;
            output(_chunk.AsMemory(0, n));
        }
    }

    public void Dispose() => _zlib.Dispose();

    /// <summary>What the decompressor reads from: the bytes pushed and not yet read; empty is "no more for now", not the end.</summary>
    private sealed class Feed : Stream
    {
        private byte[] _bytes = new byte[4096];
        private int _start, _end;

        public void Add(ReadOnlySpan<byte> data)
        {
            if (_end + data.Length > _bytes.Length)
            {
                int held = _end - _start;
                byte[] target = held + data.Length > _bytes.Length ? new byte[Math.Max(_bytes.Length * 2, held + data.Length)] : _bytes;
                Array.Copy(_bytes, _start, target, 0, held);
                (_bytes, _start, _end) = (target, 0, held);
            }
            data.CopyTo(_bytes.AsSpan(_end));
            _end += data.Length;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, _end - _start);
            _bytes.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
