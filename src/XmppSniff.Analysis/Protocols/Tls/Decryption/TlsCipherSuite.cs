using System.Security.Cryptography;

namespace XmppSniff.Analysis.Protocols.Tls.Decryption;

/// <summary>How a suite protects records.</summary>
internal enum RecordCipherKind
{
    AesGcm,
    ChaCha20Poly1305,
    AesCbc,
}

/// <summary>
/// What decryption needs to know about a cipher suite: the record cipher, its key length, the
/// MAC of CBC suites, and the hash of the PRF (TLS 1.2) or HKDF (TLS 1.3). Only suites
/// System.Security.Cryptography can decrypt are listed; the key exchange does not matter once
/// the key log gives the secrets.
/// </summary>
internal sealed record TlsCipherSuite(ushort Id, RecordCipherKind Cipher, int KeyLength, HashAlgorithmName Prf, HashAlgorithmName? Mac = null)
{
    public bool IsAead => Cipher != RecordCipherKind.AesCbc;

    /// <summary>Bytes of the MAC key and tag (CBC suites); 0 for AEAD suites.</summary>
    public int MacLength => Mac is { } mac ? HashLength(mac) : 0;

    /// <summary>Bytes of the IV from the key block: GCM's 4-byte salt, ChaCha's 12-byte IV, a CBC block (unused from TLS 1.1 on).</summary>
    public int FixedIvLength => Cipher switch
    {
        RecordCipherKind.AesGcm => 4,
        RecordCipherKind.ChaCha20Poly1305 => 12,
        _ => 16,
    };

    public static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA1 ? 20 : 32;

    public static TlsCipherSuite? Find(ushort id) => id switch
    {
        // TLS 1.3
        0x1301 => new(id, RecordCipherKind.AesGcm, 16, HashAlgorithmName.SHA256),
        0x1302 => new(id, RecordCipherKind.AesGcm, 32, HashAlgorithmName.SHA384),
        0x1303 => new(id, RecordCipherKind.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256),
        // TLS 1.2 AES-GCM (RSA, DHE, ECDHE)
        0x009C or 0x009E or 0xC02B or 0xC02F => new(id, RecordCipherKind.AesGcm, 16, HashAlgorithmName.SHA256),
        0x009D or 0x009F or 0xC02C or 0xC030 => new(id, RecordCipherKind.AesGcm, 32, HashAlgorithmName.SHA384),
        // TLS 1.2 ChaCha20-Poly1305 (RFC 7905)
        0xCCA8 or 0xCCA9 or 0xCCAA => new(id, RecordCipherKind.ChaCha20Poly1305, 32, HashAlgorithmName.SHA256),
        // TLS 1.2 AES-CBC with HMAC (the PRF is SHA-256 unless the suite names SHA-384)
        0x002F or 0x0033 or 0xC009 or 0xC013 => new(id, RecordCipherKind.AesCbc, 16, HashAlgorithmName.SHA256, HashAlgorithmName.SHA1),
        0x0035 or 0x0039 or 0xC00A or 0xC014 => new(id, RecordCipherKind.AesCbc, 32, HashAlgorithmName.SHA256, HashAlgorithmName.SHA1),
        0x003C or 0x0067 or 0xC023 or 0xC027 => new(id, RecordCipherKind.AesCbc, 16, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256),
        0x003D or 0x006B => new(id, RecordCipherKind.AesCbc, 32, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256),
        0xC024 or 0xC028 => new(id, RecordCipherKind.AesCbc, 32, HashAlgorithmName.SHA384, HashAlgorithmName.SHA384),
        _ => null,
    };
}
