using System.Text;

namespace XmppSniff.Core;

/// <summary>
/// Text kept as valid UTF-8 (large XML, message bodies): output copies the bytes as they are instead
/// of decoding them to UTF-16 and encoding them again. Equal when the bytes are.
/// </summary>
public readonly struct Utf8Text(ReadOnlyMemory<byte> bytes) : IEquatable<Utf8Text>
{
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    /// <summary>The UTF-8 of <paramref name="text"/>; null for null.</summary>
    public static Utf8Text? Of(string? text) => text is null ? null : new Utf8Text(Encoding.UTF8.GetBytes(text));

    public bool Equals(Utf8Text other) => Bytes.Span.SequenceEqual(other.Bytes.Span);

    public override bool Equals(object? obj) => obj is Utf8Text other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes.Span);
        return hash.ToHashCode();
    }

    public override string ToString() => Encoding.UTF8.GetString(Bytes.Span);

    public static bool operator ==(Utf8Text left, Utf8Text right) => left.Equals(right);

    public static bool operator !=(Utf8Text left, Utf8Text right) => !left.Equals(right);
}
