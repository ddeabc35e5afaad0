using System.Buffers.Binary;

namespace XmppSniff.Analysis.Protocols.Stun;

/// <summary>The STUN header (RFC 8489 §5) and a walk over its attributes; never throws.</summary>
internal static class StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;

    /// <summary>
    /// The length of the STUN message at the start of <paramref name="data"/> (header included), 0
    /// when the bytes are not one, -1 when more are needed. Classic RFC 3489 messages have no magic
    /// cookie; they are believed only for the few message types that RFC defined.
    /// </summary>
    public static int Measure(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength) return data.Length >= 1 && (data[0] & 0xC0) != 0 ? 0 : -1;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(data);
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if ((type & 0xC000) != 0 || (length & 3) != 0) return 0;
        bool modern = BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == MagicCookie;
        if (!modern && type is not (0x0001 or 0x0101 or 0x0111 or 0x0002 or 0x0102 or 0x0112)) return 0;
        if (data.Length < HeaderLength + length) return -1;
        return AttributesFit(data.Slice(HeaderLength, length)) ? HeaderLength + length : 0;
    }

    /// <summary>"binding_request", "allocate_success", ... from the method and class bits (RFC 8489 §5, RFC 8656).</summary>
    public static string Name(ushort type)
    {
        int method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
        int cls = ((type & 0x0010) >> 4) | ((type & 0x0100) >> 7);
        string m = method switch
        {
            0x001 => "binding",
            0x002 => "shared_secret",
            0x003 => "allocate",
            0x004 => "refresh",
            0x006 => "send",
            0x007 => "data",
            0x008 => "create_permission",
            0x009 => "channel_bind",
            0x00A => "connect",
            0x00B => "connection_bind",
            0x00C => "connection_attempt",
            _ => $"method{method:x3}",
        };
        string c = cls switch
        {
            0 => "request",
            1 => "indication",
            2 => "success",
            _ => "error",
        };
        return $"{m}_{c}";
    }

    /// <summary>Attributes are type, length, value padded to 4 bytes, ending exactly at the message's end.</summary>
    private static bool AttributesFit(ReadOnlySpan<byte> attributes)
    {
        int at = 0;
        while (at < attributes.Length)
        {
            if (attributes.Length - at < 4) return false;
            int length = BinaryPrimitives.ReadUInt16BigEndian(attributes[(at + 2)..]);
            at += 4 + ((length + 3) & ~3);
        }
        return at == attributes.Length;
    }
}
