using System.Text;

namespace XmppSniff.Analysis.Protocols.Dns;

/// <summary>Reads a domain name with compression pointers (RFC 1035 §4.1.4), bounded so a pointer loop ends.</summary>
internal static class DnsName
{
    /// <summary>Pointers followed within one name; real names need a few, loops need infinitely many.</summary>
    private const int MaxJumps = 16;

    private const int MaxLength = 255;

    /// <summary>Reads the name at <paramref name="offset"/> and moves it past the name's bytes; false on bad bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, ref int offset, out string name)
    {
        name = "";
        var text = new StringBuilder();
        int at = offset, jumps = 0;
        bool jumped = false;
        while (true)
        {
            if (at >= message.Length) return false;
            int length = message[at];
            if (length == 0)
            {
                if (!jumped) offset = at + 1;
                break;
            }
            if ((length & 0xC0) == 0xC0)
            {
                if (at + 1 >= message.Length || ++jumps > MaxJumps) return false;
                if (!jumped) offset = at + 2;
                jumped = true;
                at = ((length & 0x3F) << 8) | message[at + 1];
                continue;
            }
            if ((length & 0xC0) != 0 || at + 1 + length > message.Length) return false;
            if (text.Length > 0) text.Append('.');
            foreach (byte b in message.Slice(at + 1, length)) text.Append(b is > 0x20 and < 0x7F ? (char)b : '?');
            if (text.Length > MaxLength) return false;
            at += 1 + length;
        }
        name = text.Length == 0 ? "." : text.ToString();
        return true;
    }
}
