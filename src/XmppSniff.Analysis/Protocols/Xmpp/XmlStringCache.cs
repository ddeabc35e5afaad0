using System.Buffers.Binary;
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
        (byte[] Utf8, string Text)[] slots = t_slots ??= new (byte[], string)[Slots];
        ref (byte[] Utf8, string Text) slot = ref slots[Hash(utf8) % Slots];
        if (slot.Utf8 is { } known && utf8.SequenceEqual(known)) return slot.Text;
        string text = Encoding.UTF8.GetString(utf8);
        slot = (utf8.ToArray(), text);
        return text;
    }

    /// <summary>
    /// Length and the first and last eight bytes: cheap, and enough to tell apart the names and namespace URIs
    /// of a stream, which share prefixes ("http://jabber.org/protocol/") but not ends. A collision only costs a string.
    /// </summary>
    internal static uint Hash(ReadOnlySpan<byte> utf8)
    {
        ulong head, tail;
        if (utf8.Length >= 8)
        {
            head = BinaryPrimitives.ReadUInt64LittleEndian(utf8);
            tail = BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..]);
        }
        else
        {
            head = tail = 0;
            foreach (byte b in utf8) head = (head << 8) | b;
        }
        ulong mixed = (head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL) ^ (uint)utf8.Length;
        return (uint)(mixed ^ (mixed >> 29));
    }
}
