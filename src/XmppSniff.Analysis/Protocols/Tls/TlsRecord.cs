namespace XmppSniff.Analysis.Protocols.Tls;

/// <summary>TLS record layer constants (RFC 8446 §5.1, RFC 5246 §6.2).</summary>
public static class TlsRecord
{
    public const int HeaderLength = 5;

    /// <summary>2^14 plaintext plus the largest expansion any version allows.</summary>
    public const int MaxLength = (1 << 14) + 2048;

    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;
}

/// <summary>Handshake message types we read (RFC 8446 §4).</summary>
internal static class TlsHandshake
{
    public const byte ClientHello = 1;
    public const byte ServerHello = 2;
    public const byte Certificate = 11;
    public const byte Finished = 20;
    public const byte KeyUpdate = 24;
}
