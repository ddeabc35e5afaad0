using System.Collections.Frozen;

namespace XmppSniff.Analysis.Protocols.Tls;

/// <summary>IANA names of TLS versions and of the cipher suites real servers negotiate.</summary>
internal static class TlsNames
{
    public static string Version(ushort version) => version switch
    {
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        _ => $"0x{version:x4}",
    };

    /// <summary>GREASE values (RFC 8701) are sent to keep servers honest; they mean nothing.</summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);

    public static string Cipher(ushort suite) => Ciphers.TryGetValue(suite, out string? name) ? name : $"0x{suite:x4}";

    private static readonly FrozenDictionary<ushort, string> Ciphers = new Dictionary<ushort, string>
    {
        [0x1301] = "TLS_AES_128_GCM_SHA256",
        [0x1302] = "TLS_AES_256_GCM_SHA384",
        [0x1303] = "TLS_CHACHA20_POLY1305_SHA256",
        [0x1304] = "TLS_AES_128_CCM_SHA256",
        [0x1305] = "TLS_AES_128_CCM_8_SHA256",
        [0xC02B] = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        [0xC02C] = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        [0xC02F] = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        [0xC030] = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        [0xCCA8] = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        [0xCCA9] = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        [0xCCAA] = "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        [0xC009] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        [0xC00A] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        [0xC013] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        [0xC014] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        [0xC023] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        [0xC024] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        [0xC027] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        [0xC028] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        [0x009C] = "TLS_RSA_WITH_AES_128_GCM_SHA256",
        [0x009D] = "TLS_RSA_WITH_AES_256_GCM_SHA384",
        [0x009E] = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        [0x009F] = "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        [0x002F] = "TLS_RSA_WITH_AES_128_CBC_SHA",
        [0x0035] = "TLS_RSA_WITH_AES_256_CBC_SHA",
        [0x003C] = "TLS_RSA_WITH_AES_128_CBC_SHA256",
        [0x003D] = "TLS_RSA_WITH_AES_256_CBC_SHA256",
        [0x0033] = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        [0x0039] = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        [0x0067] = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        [0x006B] = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        [0x000A] = "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        [0x0005] = "TLS_RSA_WITH_RC4_128_SHA",
        [0x0004] = "TLS_RSA_WITH_RC4_128_MD5",
        [0x0016] = "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
        [0xC012] = "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        [0xC011] = "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
        [0xC007] = "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
        [0x00FF] = "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
    }.ToFrozenDictionary();
}
