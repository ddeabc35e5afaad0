namespace XmppSniff.Core;

/// <summary>
/// Where the bytes analyzers are given can be read again later (the capture file they were mapped from), so that
/// an element still arriving need not keep a copy of its middle meanwhile: a 64 KiB message held by a thousand
/// connections at once is a thousand fresh 64 KiB buffers otherwise.
/// </summary>
public interface IRereadableBytes
{
    /// <summary>Where <paramref name="bytes"/> lie in the source, if they lie in it.</summary>
    bool TryLocate(ReadOnlySpan<byte> bytes, out long position);

    /// <summary>Fills <paramref name="into"/> with the source's bytes at <paramref name="position"/>, which <see cref="TryLocate"/> gave.</summary>
    void Read(long position, Span<byte> into);
}
