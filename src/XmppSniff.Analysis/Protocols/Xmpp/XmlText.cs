using System.Globalization;
using System.Text;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Decodes character data and attribute values: the five predefined entities and character
/// references, nothing else. An unknown entity stays as written (it is never expanded) and is reported.
/// </summary>
public static class XmlText
{
    [Flags]
    public enum Problems
    {
        None = 0,
        UnknownEntity = 1,
        InvalidUtf8 = 2,
    }

    /// <summary>A copy of <paramref name="raw"/> that is valid UTF-8: bad sequences become U+FFFD, as decoding would make them.</summary>
    public static Utf8Text Utf8(ReadOnlySpan<byte> raw) =>
        new(System.Text.Unicode.Utf8.IsValid(raw) ? ElementCopies.Copy(raw) : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(raw)));

    /// <summary>
    /// The problems <see cref="Decode(ReadOnlySpan{byte}, ref Problems)"/> would find, without making the text;
    /// true when the text is plain: valid UTF-8 without references, so its bytes are its text.
    /// </summary>
    /// <param name="validUtf8">The caller knows the bytes are valid UTF-8 (the tokenizer checked the token they are in).</param>
    public static bool Check(ReadOnlySpan<byte> raw, ref Problems problems, bool validUtf8 = false)
    {
        bool valid = validUtf8 || System.Text.Unicode.Utf8.IsValid(raw);
        if (!valid) problems |= Problems.InvalidUtf8;
        int amp = raw.IndexOf((byte)'&');
        if (amp < 0) return valid;
        for (; amp >= 0; amp = raw.IndexOf((byte)'&'))
        {
            raw = raw[amp..];
            int semi = raw[..Math.Min(raw.Length, 12)].IndexOf((byte)';');
            if (semi > 1 && IsReference(raw[1..semi])) raw = raw[(semi + 1)..];
            else
            {
                problems |= Problems.UnknownEntity;
                raw = raw[1..];
            }
        }
        return false;
    }

    /// <summary>What <see cref="Entity"/> decodes, without making the string.</summary>
    private static bool IsReference(ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("lt"u8) || name.SequenceEqual("gt"u8) || name.SequenceEqual("amp"u8)
            || name.SequenceEqual("quot"u8) || name.SequenceEqual("apos"u8)) return true;
        return name[0] == '#' && name.Length >= 2 && Entity(name) is not null; // character references are rare
    }

    public static string Decode(ReadOnlySpan<byte> raw, ref Problems problems)
    {
        if (!System.Text.Unicode.Utf8.IsValid(raw)) problems |= Problems.InvalidUtf8;
        int amp = raw.IndexOf((byte)'&');
        if (amp < 0) return Encoding.UTF8.GetString(raw);
        var text = new StringBuilder(raw.Length);
        while (amp >= 0)
        {
            text.Append(Encoding.UTF8.GetString(raw[..amp]));
            raw = raw[amp..];
            int semi = raw[..Math.Min(raw.Length, 12)].IndexOf((byte)';');
            string? decoded = semi > 1 ? Entity(raw[1..semi]) : null;
            if (decoded is null)
            {
                problems |= Problems.UnknownEntity;
                text.Append('&');
                raw = raw[1..];
            }
            else
            {
                text.Append(decoded);
                raw = raw[(semi + 1)..];
            }
            amp = raw.IndexOf((byte)'&');
        }
        text.Append(Encoding.UTF8.GetString(raw));
        return text.ToString();
    }

    public static string Decode(ReadOnlySpan<byte> raw)
    {
        Problems ignored = Problems.None;
        return Decode(raw, ref ignored);
    }

    private static string? Entity(ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("lt"u8)) return "<";
        if (name.SequenceEqual("gt"u8)) return ">";
        if (name.SequenceEqual("amp"u8)) return "&";
        if (name.SequenceEqual("quot"u8)) return "\"";
        if (name.SequenceEqual("apos"u8)) return "'";
        if (name[0] != '#' || name.Length < 2) return null;
        bool hex = name[1] == 'x';
        ReadOnlySpan<byte> digits = name[(hex ? 2 : 1)..];
        if (!int.TryParse(Encoding.ASCII.GetString(digits), hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None,
                CultureInfo.InvariantCulture, out int code)) return null;
        // XML 1.0 Char: no NUL and other C0 controls (but tab, CR, LF), no surrogates, within Unicode.
        if (code is < 0x20 and not (0x9 or 0xA or 0xD) or (>= 0xD800 and <= 0xDFFF) or 0xFFFE or 0xFFFF or > 0x10FFFF) return null;
        return char.ConvertFromUtf32(code);
    }
}
