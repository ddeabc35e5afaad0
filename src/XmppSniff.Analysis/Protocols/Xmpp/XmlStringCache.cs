using System.Text;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Strings for bytes that repeat across a stream but are not known in advance (namespace URIs, element
/// names of extensions): made once, then looked up by hash. Fixed size per thread; a collision just replaces.
/// </summary>
internal static class XmlStringCache
{
    private const int Slots = 512;
    private const int MaxLength = 128;

    [ThreadStatic] private static (byte[] Utf8, string Text)[]? t_slots;

    /// <summary>The text of <paramref name="utf8"/> (valid UTF-8 without entities).</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength) return Encoding.UTF8.GetString(utf8);
        var hash = new HashCode();
        hash.AddBytes(utf8);
        (byte[] Utf8, string Text)[] slots = t_slots ??= new (byte[], string)[Slots];
        ref (byte[] Utf8, string Text) slot = ref slots[(uint)hash.ToHashCode() % Slots];
        if (slot.Utf8 is { } known && utf8.SequenceEqual(known)) return slot.Text;
        string text = Encoding.UTF8.GetString(utf8);
        slot = (utf8.ToArray(), text);
        return text;
    }
}
